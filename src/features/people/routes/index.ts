import type { Route } from '../../../web/router.ts'
import { householdRoutes } from './household.ts'
import { mergeRoutes } from './merge.ts'
import { recordRoutes } from './record.ts'
import { searchRoutes } from './search.ts'

export const peopleRoutes: Route[] = [...searchRoutes, ...recordRoutes, ...householdRoutes, ...mergeRoutes]
