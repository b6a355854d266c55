/**
 * Types for the typed clients (web/src/api.ts, test/support/api.ts): what each route answers and
 * which paths reach it, from the declarations in shared/api. Types only — importing this module
 * brings no zod and no schema into a bundle.
 */
import type { input } from 'zod/v4/core';
import type { RouteSpec } from '../http/route';
import type { routes } from '../manifest';
import type { RouteName } from './contract';
import type { requestsByArea } from './requests';
import type { ResponseBody } from './responses';

export type { ResponseBody, RouteName };

type PathOf<N extends RouteName> = (typeof routes)[N]['path'];

/** `/api/trainings/{id}` → `/api/trainings/${string}`: a path literal is checked against its route. */
type Pattern<P extends string> = P extends `${infer Head}{${string}}${infer Rest}` ? `${Head}${string}${Pattern<Rest>}` : P;

/** The paths (with or without a query) that reach route N. */
export type PathTo<N extends RouteName> = Pattern<PathOf<N>> | `${Pattern<PathOf<N>>}?${string}`;

/** The HTTP method of route N. */
export type MethodOf<N extends RouteName> = (typeof routes)[N]['method'];

type AllRequests = { [A in keyof typeof requestsByArea]: (typeof requestsByArea)[A] }[keyof typeof requestsByArea];
type SpecOf<N extends RouteName> = AllRequests extends infer U ? (U extends Record<N, infer S> ? S : never) : never;

/** What route N takes as its JSON body, as a caller writes it (before defaults). */
export type RequestBody<N extends RouteName> = SpecOf<N> extends { body: infer B } ? (B extends NonNullable<RouteSpec['body']> ? input<B> : never) : undefined;
