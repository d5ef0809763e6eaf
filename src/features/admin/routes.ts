import { page } from '../../web/outcome.ts'
import type { Route } from '../../web/router.ts'
import { agencyRoutes } from './agencies/routes.ts'
import { cafConfigRoutes } from './caf-config/routes.ts'
import { closureReasonRoutes } from './closure-reasons/routes.ts'
import { localityRoutes } from './localities/routes.ts'
import { populationRoutes } from './population/routes.ts'
import { userRoutes } from './users/routes.ts'
import { transferKeyRoutes } from './transfer-keys/routes.ts'
import { trainingRoutes } from './training/routes.ts'
import { costRoutes } from './costs/routes.ts'

export const adminRoutes: Route[] = [
  { method: 'GET', url: '/admin', permission: 'admin.organisation', handler: async () => page('admin/views/index.njk', { title: 'Administration' }) },
  ...localityRoutes,
  ...agencyRoutes,
  ...userRoutes,
  ...populationRoutes,
  ...trainingRoutes,
  ...costRoutes,
  ...cafConfigRoutes,
  ...closureReasonRoutes,
  ...transferKeyRoutes,
]
