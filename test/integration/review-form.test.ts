import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { planWithAction, saveTask, smithsCaf, todayParts } from '../helpers/episodes.ts'
import { dateWords } from '../../src/web/dates.ts'

/**
 * Issue 15 item 2: the review form asks for the scores that matter, not all 62. Only the elements scored
 * at the assessment (or at a review since) are on the page, each with the scores given last time; the
 * others wait behind "Score another element". Practitioner first, then the family, as in the assessment.
 */

let t: TestApp
let practitioner: Client

before(async () => {
  t = await testApp()
  practitioner = await t.staff.signIn(t.app, 'practitioner')
})
after(() => t?.close())

/** A Smith CAF with John's general health scored (practitioner 4, family 2) and a plan running. */
async function smithsReview() {
  const { episode, john } = await smithsCaf(t.db, t.staff, practitioner)
  const saved = await saveTask(
    practitioner,
    episode,
    `domain-child-${john}`,
    { 'general-health-narrative': 'Often tired in the mornings', 'general-health-family': '2', 'general-health-practitioner': '4' },
    { amendReason: 'Scores agreed with Sarah after the assessment' },
  )
  assert.equal(saved.statusCode, 303)
  const { outcome } = await planWithAction(practitioner, t.db, episode, t.staff.users.practitioner.id)
  return { episode, john, outcome }
}

/** The form split where "Score another element" begins: what is on the page, and what is folded away. */
async function reviewFormParts(episode: number) {
  const res = await practitioner.get(`/episodes/${episode}/reviews/new`)
  assert.equal(res.statusCode, 200)
  const fold = res.body.indexOf('<details')
  assert.ok(fold > 0, 'the other elements are behind a details element')
  const end = res.body.indexOf('</details>', fold)
  const selects = (html: string) => [...html.matchAll(/<select class="govuk-select[^"]*" id="(score-[^"]+)"/g)].map((m) => m[1]!)
  return {
    shown: selects(res.body.slice(0, fold) + res.body.slice(end)),
    folded: selects(res.body.slice(fold, end)),
    foldText: textOf(res.body.slice(fold, end)),
    text: textOf(res.body),
  }
}

test('only the elements scored at the assessment are asked for, practitioner first, with the scores given last time', async () => {
  const { episode, john } = await smithsReview()
  const form = await reviewFormParts(episode)
  assert.deepEqual(form.shown, [`score-${john}-general-health-practitioner`, `score-${john}-general-health-family`])
  assert.match(form.text, /General health Last scored at the assessment: practitioner 4, family 2/)
  assert.match(form.foldText, /^Score another element/)
  assert.ok(form.folded.includes(`score-${john}-speech-language-practitioner`), 'an element not scored can still be scored')
  assert.ok(!form.folded.some((s) => s.startsWith(`score-${john}-general-health`)), 'an element on the page is not offered again')
})

test('after a review, "last time" is that review, and an element it scored joins the elements on the page', async () => {
  const { episode, john, outcome } = await smithsReview()
  await practitioner.get(`/episodes/${episode}/reviews/new`)
  const saved = await practitioner.post(`/episodes/${episode}/reviews/new`, {
    ...todayParts('held'),
    [`progress-${outcome}`]: 'progressing',
    [`evidence-${outcome}`]: 'Late twice this week instead of every day',
    [`score-${john}-general-health-practitioner`]: '6',
    [`score-${john}-general-health-family`]: '3',
    [`score-${john}-speech-language-practitioner`]: '5',
    decision: 'continue',
    'next-day': '1',
    'next-month': '1',
    'next-year': String(new Date().getFullYear() + 1),
  })
  assert.equal(saved.statusCode, 303)
  const form = await reviewFormParts(episode)
  assert.deepEqual(form.shown, [
    `score-${john}-general-health-practitioner`,
    `score-${john}-general-health-family`,
    `score-${john}-speech-language-practitioner`,
    `score-${john}-speech-language-family`,
  ])
  const on = dateWords(new Date().toISOString().slice(0, 10))
  assert.match(form.text, new RegExp(`General health Last scored at review 1 on ${on}: practitioner 6, family 3`))
  assert.match(form.text, new RegExp(`Speech, language and communication Last scored at review 1 on ${on}: practitioner 5, family not scored`))
})
