import type { Route } from '../../../web/router.ts'
import { assessmentRoutes as formRoutes } from './assessment.ts'
import { familyCopyRoutes } from './family-copy.ts'

export const assessmentRoutes: Route[] = [...formRoutes, ...familyCopyRoutes]
