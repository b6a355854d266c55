import type { RouteName } from '../../shared/api/contract';
import { routeList } from '../../shared/manifest';

/** Routes never seen answering a 2xx in the logged lines. */
export function uncoveredRoutes(lines: readonly string[]): RouteName[] {
  const succeeded = new Set(
    lines
      .map((line) => line.split(' '))
      .filter(([, status]) => Number(status) >= 200 && Number(status) < 300)
      .map(([name]) => name),
  );
  return routeList.map((route) => route.name as RouteName).filter((name) => !succeeded.has(name));
}
