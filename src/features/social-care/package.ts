import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { dateWords, ukDate } from '../../web/dates.ts'
import { buildFamilyCopy } from '../assessment/family-copy.ts'
import { consentOf } from '../episodes/consent.ts'
import { episodePage } from '../episodes/episode-page.ts'
import { STAGE_LABELS } from '../episodes/stages.ts'
import { planOf } from '../plans/use-cases.ts'
import { progressPage } from '../reviews/progress.ts'
import { DECISIONS as REVIEW_DECISIONS } from '../reviews/use-cases.ts'

/**
 * An episode's information as a package: what goes with the family when it moves to children's social
 * care (a step up) or to another council (a transfer), so that nothing is lost at the border. It is a
 * plain document, kept as it was sent: who the family are, who works with them, and then sections of
 * questions and answers (the assessment, the plan, the reviews with distance travelled, consent, the
 * team) and a chronology. The JSON Schema in schemas/episode-package.schema.json describes it.
 */
export interface EpisodePackage {
  version: 1
  council: { code: string; name: string }
  episode: { id: number; kind: 'child' | 'family'; startedOn: string; stage: string; needLevel: string | null; needTier: number | null }
  people: PackagePerson[]
  lead: { name: string; agency: string; email: string; phone: string | null } | null
  sections: PackageSection[]
  chronology: { on: string; what: string }[]
  sentAt: string
  sentBy: { name: string; agency: string }
}

export interface PackagePerson {
  role: 'child' | 'adult'
  givenName: string | null
  familyName: string | null
  name: string
  /** For an adult: how they are related to the first child, as the household records it. */
  relationship: string | null
  dateOfBirth: string | null
  sex: string | null
  address: string | null
  postcode: string | null
  nhsNumber: string | null
  upn: string | null
}

export interface PackageSection {
  heading: string
  items: { label: string; value: string }[]
}

const item = (label: string, value: string | null | undefined) => ({ label, value: value?.trim() ? value : 'Not recorded' })
const decisionWords = (d: string) => REVIEW_DECISIONS.find((x) => x.value === d)?.text ?? d

/** Builds the package of an episode as it stands now, for the actor who sends it. */
export async function buildPackage(db: Kysely<DB>, actor: { laId: number; userId: number }, episodeId: number): Promise<EpisodePackage> {
  const laId = actor.laId
  const [view, plan, progress, consent, council, sender, people, stages, tier, relationships] = await Promise.all([
    episodePage(db, laId, episodeId),
    planOf(db, laId, episodeId),
    progressPage(db, laId, episodeId),
    consentOf(db, laId, episodeId),
    db.selectFrom('local_authorities').select(['code', 'name']).where('id', '=', laId).executeTakeFirstOrThrow(),
    db
      .selectFrom('users as u')
      .innerJoin('agencies as a', 'a.id', 'u.agency_id')
      .select(['u.full_name as name', 'a.name as agency'])
      .where('u.id', '=', actor.userId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('episode_people as ep')
      .innerJoin('people as p', 'p.id', 'ep.person_id')
      .select(['p.id', 'ep.role', 'p.given_name', 'p.family_name', 'p.sex', 'p.address', 'p.postcode', 'p.nhs_number', 'p.upn'])
      .where('ep.episode_id', '=', episodeId)
      .execute(),
    db
      .selectFrom('episode_stage_changes')
      .select(['to_stage', 'changed_at'])
      .where('episode_id', '=', episodeId)
      .where('la_id', '=', laId)
      .orderBy('changed_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('need_levels as n')
      .innerJoin('episodes as e', (j) => j.onRef('e.need_level', '=', 'n.code').onRef('e.la_id', '=', 'n.la_id'))
      .select('n.tier')
      .where('e.id', '=', episodeId)
      .executeTakeFirst(),
    db
      .selectFrom('relationships as r')
      .innerJoin('episode_people as c', (j) => j.onRef('c.person_id', '=', 'r.child_id').on('c.role', '=', 'child'))
      .select(['r.person_id', 'r.relationship'])
      .where('c.episode_id', '=', episodeId)
      .orderBy('c.sort_order')
      .execute(),
  ])
  const { episode } = view
  const details = new Map(people.map((p) => [p.id, p]))
  const assessment = episode.assessment_completed_at ? await buildFamilyCopy(db, laId, episode) : null
  const sections: PackageSection[] = [
    {
      heading: 'Why early help started',
      items: [item('Reason for the CAF', episode.intention_reason), item('Level of need', view.level)],
    },
    ...(assessment?.sections.map((s) => ({ heading: `Assessment: ${s.heading}`, items: s.items.map((i) => item(i.label, i.value)) })) ?? []),
    {
      heading: 'The plan',
      items: plan.flatMap((o) => [
        item(`Desired outcome for “${o.need}”`, `${o.outcome} (${o.statusText})`),
        ...o.actions.map((a) => item('Action', `${a.description}. Who: ${a.owner}. By ${dateWords(a.due_on)}. ${a.statusText}`)),
      ]),
    },
    {
      heading: 'Reviews',
      items: progress.reviews.map((r) => item(`Review on ${dateWords(r.heldOn)}`, `${decisionWords(r.decision)}. ${r.summary ?? ''}`)),
    },
    {
      heading: 'Distance travelled (scores from the assessment to the last review)',
      items: progress.series.map((s) => {
        const first = s.points[0]!
        const last = s.points.at(-1)!
        const score = (p: typeof first) => `practitioner ${p.practitioner ?? 'not scored'}, family ${p.family ?? 'not scored'}`
        return item(s.title, `At the assessment: ${score(first)}. At ${last.occasion.toLowerCase()}: ${score(last)}.`)
      }),
    },
    {
      heading: 'Consent',
      items: [
        item(
          'The family’s decision',
          consent.latest
            ? `${consent.latest.decision === 'given' ? 'Given' : 'Refused'} by ${[consent.latest.given_name, consent.latest.family_name].filter(Boolean).join(' ')} on ${dateWords(consent.latest.given_on)}` +
                (consent.latest.withdrawn_on ? `; withdrawn on ${dateWords(consent.latest.withdrawn_on)}` : '')
            : null,
        ),
        item('Agencies the family agreed to share with', consent.current.map((a) => a.agencyName).join(', ')),
      ],
    },
    { heading: 'The Team Around the Family', items: view.team.map((m) => item(m.name, m.agencyName)) },
  ]
  const chronology = [
    ...stages.map((s) => ({ at: s.changed_at, what: `Stage: ${STAGE_LABELS[s.to_stage]}` })),
    ...view.meetings.map((m) => ({ at: m.startsAt, what: `Team Around the Family meeting (${m.statusText})` })),
    ...progress.reviews.map((r) => ({ at: new Date(`${r.heldOn}T12:00:00Z`), what: `Review: ${decisionWords(r.decision)}` })),
    ...episode.leadHistory.filter((l) => l.acceptedAt).map((l) => ({ at: l.acceptedAt!, what: `${l.name} (${l.agencyName}) became lead professional` })),
  ]
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((c) => ({ on: ukDate(c.at), what: c.what }))
  return {
    version: 1,
    council: { code: council.code, name: council.name },
    episode: {
      id: episode.id,
      kind: episode.kind,
      startedOn: ukDate(episode.created_at),
      stage: episode.statusLabel,
      needLevel: view.level ?? null,
      needTier: tier?.tier ?? null,
    },
    people: episode.people.map((p) => {
      const d = details.get(p.id)
      return {
        role: p.role,
        givenName: d?.given_name ?? null,
        familyName: d?.family_name ?? null,
        name: p.name,
        relationship: p.role === 'adult' ? (relationships.find((r) => r.person_id === p.id)?.relationship ?? null) : null,
        dateOfBirth: p.dateOfBirth ?? p.expectedDeliveryDate,
        sex: d?.sex ?? null,
        address: d?.address ?? null,
        postcode: d?.postcode ?? null,
        nhsNumber: d?.nhs_number ?? null,
        upn: d?.upn ?? null,
      }
    }),
    lead: episode.lead ? { name: episode.lead.name, agency: episode.lead.agencyName, email: episode.lead.email, phone: episode.lead.phone } : null,
    sections: sections.filter((s) => s.items.length),
    chronology,
    sentAt: new Date().toISOString(),
    sentBy: sender,
  }
}
