import type { RouteSpec } from '../http/route';
import type { routes } from '../manifest';

/** Every route's name in the manifest: the key of its declarations here and its OpenAPI operationId. */
export type RouteName = keyof typeof routes;

/** The areas that group routes: one module each (requests) plus its `.responses.ts`, one OpenAPI tag each. */
export const areas = ['public', 'topics', 'trainings', 'me', 'registrations', 'attendance', 'feedback', 'certificates', 'reports', 'journal', 'surveys'] as const;
export type Area = (typeof areas)[number];

/** One area's request declarations: a RouteSpec per route it holds. */
export type AreaRequests = Partial<Record<RouteName, RouteSpec>>;
