import { catalogRoutes } from './catalog.js';
import { frontierRoutes } from './frontiers.js';
import { planRoutes } from './plans.js';
import type { RouteSpec } from './route.js';
import { serviceRoutes } from './service.js';

/** Every route of the API, in the order the OpenAPI document lists them. */
export const ROUTES: readonly RouteSpec[] = [...planRoutes, ...frontierRoutes, ...catalogRoutes, ...serviceRoutes];
