import type { Route } from '../../../web/router.ts'
import { assessmentRoutes } from '../../assessment/routes/assessment.ts'
import { familyCopyRoutes } from '../../assessment/routes/family-copy.ts'
import { meetingRoutes } from '../../meetings/routes.ts'
import { planRoutes } from '../../plans/routes.ts'
import { reviewRoutes } from '../../reviews/routes.ts'
import { closureRoutes } from '../../closure/routes.ts'
import { consentRoutes } from './consent.ts'
import { episodeRoutes } from './episode.ts'
import { preAssessmentRoutes } from './pre-assessment.ts'
import { startRoutes } from './start.ts'
import { teamRoutes } from './team.ts'

export const episodesRoutes: Route[] = [
  ...startRoutes,
  ...episodeRoutes,
  ...preAssessmentRoutes,
  ...assessmentRoutes,
  ...consentRoutes,
  ...teamRoutes,
  ...familyCopyRoutes,
  ...meetingRoutes,
  ...planRoutes,
  ...reviewRoutes,
  ...closureRoutes,
]
