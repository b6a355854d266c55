import { attendanceResponses } from './attendance.responses';
import { certificatesResponses } from './certificates.responses';
import type { Area, RouteName } from './contract';
import { feedbackResponses } from './feedback.responses';
import { journalResponses } from './journal.responses';
import { meResponses } from './me.responses';
import { publicResponses } from './public.responses';
import { registrationsResponses } from './registrations.responses';
import type { Reply, RouteResponses } from './reply';
import { reportsResponses } from './reports.responses';
import { surveysResponses } from './surveys.responses';
import { topicsResponses } from './topics.responses';
import { trainingsResponses } from './trainings.responses';

/**
 * Every route's responses. No handler imports this (the schemas would only weigh on its bundle):
 * the OpenAPI generator, the contract tests and the typed clients (types only) do.
 */
export const responses = {
  ...publicResponses,
  ...topicsResponses,
  ...trainingsResponses,
  ...meResponses,
  ...registrationsResponses,
  ...attendanceResponses,
  ...feedbackResponses,
  ...certificatesResponses,
  ...reportsResponses,
  ...surveysResponses,
  ...journalResponses,
} satisfies Record<RouteName, RouteResponses>;

/** Which area's module declares each route's responses: must agree with the requests (a unit test checks). */
export const responseAreas: Record<Area, readonly string[]> = {
  public: Object.keys(publicResponses),
  topics: Object.keys(topicsResponses),
  trainings: Object.keys(trainingsResponses),
  me: Object.keys(meResponses),
  registrations: Object.keys(registrationsResponses),
  attendance: Object.keys(attendanceResponses),
  feedback: Object.keys(feedbackResponses),
  certificates: Object.keys(certificatesResponses),
  reports: Object.keys(reportsResponses),
  journal: Object.keys(journalResponses),
  surveys: Object.keys(surveysResponses),
};

type Successes<N extends RouteName> = (typeof responses)[N]['success'];
type ReplyType<R> = R extends Reply<infer T> ? T : never;

/** What a route answers on success (the JSON body; `undefined` for 204; never for files only). */
export type ResponseBody<N extends RouteName> = { [S in keyof Successes<N>]: S extends 503 ? never : ReplyType<Successes<N>[S]> }[keyof Successes<N>];
