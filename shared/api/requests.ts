import type { RouteSpec } from '../http/route';
import { attendanceApi } from './attendance';
import { certificatesApi } from './certificates';
import type { Area, RouteName } from './contract';
import { feedbackApi } from './feedback';
import { journalApi } from './journal';
import { meApi } from './me';
import { publicApi } from './public';
import { registrationsApi } from './registrations';
import { reportsApi } from './reports';
import { surveysApi } from './surveys';
import { topicsApi } from './topics';
import { trainingsApi } from './trainings';

/**
 * Every route's request spec, by area. Handlers import their own area's module (so a bundle holds
 * only its area's schemas); this whole map is for the OpenAPI generator and the tests. The
 * `satisfies` makes a manifest route without a request declaration a type error.
 */
export const requestsByArea = {
  public: publicApi,
  topics: topicsApi,
  trainings: trainingsApi,
  me: meApi,
  registrations: registrationsApi,
  attendance: attendanceApi,
  feedback: feedbackApi,
  certificates: certificatesApi,
  reports: reportsApi,
  journal: journalApi,
  surveys: surveysApi,
} satisfies Record<Area, Partial<Record<RouteName, RouteSpec>>>;

type AllRequests = { [A in Area]: (typeof requestsByArea)[A] }[Area];
type Declared = AllRequests extends infer U ? (U extends unknown ? keyof U : never) : never;

/** Fails to compile while a manifest route has no request declaration in any area. */
export const everyRouteDeclared: Exclude<RouteName, Declared> extends never ? true : Exclude<RouteName, Declared> = true;

export function areaOf(route: RouteName): Area {
  for (const [area, declared] of Object.entries(requestsByArea) as [Area, Record<string, RouteSpec>][]) {
    if (route in declared) return area;
  }
  throw new Error(`Route ${route} is declared in no shared/api area.`);
}

export function requestOf(route: RouteName): RouteSpec {
  const area = requestsByArea[areaOf(route)] as Partial<Record<RouteName, RouteSpec>>;
  return area[route] ?? {};
}
