import type { Route } from '../../../web/router.ts'
import { consentRoutes } from './consent.ts'
import { episodeRoutes } from './episode.ts'
import { followUpRoutes } from './follow-up.ts'
import { preAssessmentRoutes } from './pre-assessment.ts'
import { startRoutes } from './start.ts'
import { teamRoutes } from './team.ts'

export const episodesRoutes: Route[] = [...startRoutes, ...episodeRoutes, ...preAssessmentRoutes, ...consentRoutes, ...teamRoutes, ...followUpRoutes]
