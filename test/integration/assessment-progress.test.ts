import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { testApp, type TestApp } from '../helpers/app.ts'
import { actorOf, buildAgency, buildCouncil, buildEpisode, buildUser } from '../helpers/factories.ts'
import { signedIn } from '../helpers/people.ts'

// Issue 15, item 8: the task list said "10 of 12 sections", the episode page "9 of 11 sections
// completed", for the same assessment. Both count the same sections, consent among them.
let t: TestApp
before(async () => {
  t = await testApp()
})
after(() => t.close())

const counted = (html: string, pattern: RegExp) => {
  const m = pattern.exec(html)
  assert.ok(m, `no count matching ${pattern} on the page`)
  return `${m[1]} of ${m[2]}`
}

test('the episode page and the task list count a completed assessment’s sections the same way, consent among them', async () => {
  const { la, agency } = await buildCouncil(t.db)
  const user = await buildUser(t.db, { laId: la.id, agencyId: agency.id })
  const other = await buildAgency(t.db, la.id)
  const { id } = await buildEpisode(t.db, actorOf(user, agency.id), { consentedAgencies: [agency.id, other.id] })
  const client = await signedIn(t.app, user.email, user.password)

  const episode = (await client.get(`/episodes/${id}`)).body
  const tasks = (await client.get(`/episodes/${id}/assessment`)).body
  const onEpisode = counted(episode, /\((\d+) of (\d+) sections completed/)
  const onTasks = counted(tasks, /You have completed (\d+) of (\d+) sections/)
  assert.equal(onEpisode, onTasks)
  // The factory fills the four sections needed to complete (who was present, the child's and the
  // parents' views, the conclusions) and records consent: five, on both pages.
  assert.equal(onTasks.split(' of ')[0], '5')
})
