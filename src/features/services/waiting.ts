import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { today } from '../../web/dates.ts'
import { cafSettings } from '../episodes/config.ts'

/**
 * Each service's waiting time, measured from its referrals, never typed in: the median and the 90th
 * percentile of the days from a referral being made to the service starting, over the referrals that
 * started in the last 90 days, with how many that is. Under the council's minimum, the figure is not
 * shown: "not enough referrals yet". Declines are counted of the referrals asked for in the same 90 days.
 */
export const WAITING_WINDOW_DAYS = 90

export interface WaitingTime {
  referrals: number
  enough: boolean
  minimum: number
  medianDays: number | null
  p90Days: number | null
  declined: number
}

export async function waitingTimes(db: Kysely<DB>, laId: number, serviceIds: readonly number[]): Promise<Map<number, WaitingTime>> {
  if (!serviceIds.length) return new Map()
  const since = sql`(${today()}::date - ${WAITING_WINDOW_DAYS}::int)`
  const [{ rows }, settings] = await Promise.all([
    sql<{ service_id: number; started: number; median: number | null; p90: number | null; declined: number }>`
      select service_id,
        count(*) filter (where started_on > ${since})::int as started,
        percentile_cont(0.5) within group (order by started_on - requested_on) filter (where started_on > ${since}) as median,
        percentile_cont(0.9) within group (order by started_on - requested_on) filter (where started_on > ${since}) as p90,
        count(*) filter (where status = 'declined' and requested_on > ${since})::int as declined
      from referrals where la_id = ${laId} and service_id in (${sql.join(serviceIds)}) group by service_id`.execute(db),
    cafSettings(db, laId).select('waiting_min_referrals').executeTakeFirstOrThrow(),
  ])
  const minimum = settings.waiting_min_referrals
  const byId = new Map(rows.map((r) => [Number(r.service_id), r]))
  return new Map(
    serviceIds.map((id) => {
      const r = byId.get(id)
      const referrals = r ? Number(r.started) : 0
      const enough = referrals >= minimum
      const round = (v: number | null | undefined) => (enough && v !== null && v !== undefined ? Math.round(Number(v)) : null)
      return [id, { referrals, enough, minimum, medianDays: round(r?.median), p90Days: round(r?.p90), declined: r ? Number(r.declined) : 0 }]
    }),
  )
}
