import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { routeList } from '../../shared/manifest';
import { apiUrl } from '../support/api';
import { answerProblem, reproduce, send, type RawRequest } from './http';
import { landsOnLocalRoute, requestArbitrary, schemaVocabulary, type Vocabulary } from './hostile';
import { buildWorld, type World } from './world';

/**
 * Every route of the manifest, every role that may call it, hostile input in every place input
 * enters. CI runs a fixed seed; FUZZ_SEED picks another, FUZZ_RUNS sends more per route.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_201);
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 48);
const MIN_RUNS_PER_ROUTE = 40;
/** DynamoDB Local and the gateway share two cores with other builds; more in flight only queues. */
const IN_FLIGHT = 4;

let world: World;
let vocabulary: Vocabulary;

beforeAll(async () => {
  [world, vocabulary] = await Promise.all([buildWorld(), schemaVocabulary()]);
}, 120_000);

async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

describe('the API under hostile input', () => {
  it('knows the input places it fuzzes from the schemas', () => {
    expect(vocabulary.queryNames).toEqual(expect.arrayContaining(['cursor', 'limit', 'from', 'to', 'format', 'lang', 'region']));
    expect(vocabulary.fieldNames).toEqual(expect.arrayContaining(['title', 'sessions', 'fullName', 'records', 'code', 'reason']));
  });

  it(
    `answers every route below 500 in the documented error shape (${RUNS_PER_ROUTE} requests per route, seed ${SEED})`,
    { timeout: 600_000 },
    async () => {
      expect(RUNS_PER_ROUTE).toBeGreaterThanOrEqual(process.env.CI ? MIN_RUNS_PER_ROUTE : 1);
      const requests: { route: string; request: RawRequest }[] = [];
      routeList.forEach((route, index) => {
        const samples = fc.sample(requestArbitrary(route, world, vocabulary), { seed: SEED + index, numRuns: RUNS_PER_ROUTE });
        for (const request of samples) {
          if (!landsOnLocalRoute(request.target)) requests.push({ route: route.name, request });
        }
      });
      const perRoute = new Map<string, number>();
      for (const { route } of requests) perRoute.set(route, (perRoute.get(route) ?? 0) + 1);
      for (const route of routeList) {
        expect(perRoute.get(route.name) ?? 0, `requests sent to ${route.name}`).toBeGreaterThanOrEqual(Math.min(RUNS_PER_ROUTE, MIN_RUNS_PER_ROUTE));
      }

      const started = Date.now();
      const statuses = new Map<number, number>();
      const failures: string[] = [];
      await inPool(requests, IN_FLIGHT, async ({ route, request }) => {
        let problem: string | undefined;
        try {
          const response = await send(apiUrl(), request);
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          problem = answerProblem(response);
          if (problem) problem += `\n  answer: ${response.text.slice(0, 300)}`;
        } catch (error) {
          problem = `no answer: ${error instanceof Error ? error.message : String(error)}`;
        }
        if (problem) failures.push(`${route} ${problem}\n${reproduce(apiUrl(), request)}`);
      });
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.info(
        `fuzz: ${routeList.length} routes, ${requests.length} requests in ${seconds} s (seed ${SEED}); statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`,
      );
      if (failures.length > 0) {
        // The test's message carries the requests that broke the contract, ready to send again.
        expect.fail(`${failures.length} of ${requests.length} answers broke the contract:\n\n${failures.slice(0, 30).join('\n\n')}`);
      }
    },
  );
});
