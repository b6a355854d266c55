/** The app's pages, matched against location.pathname; `:name` captures one segment. */
export const routePatterns = {
  home: '/',
  signIn: '/sign-in',
  authCallback: '/auth/callback',
  trainings: '/trainings',
  training: '/trainings/:id',
  feedback: '/trainings/:id/feedback',
  myTrainings: '/my/trainings',
  checkIn: '/check-in',
  myCertificates: '/my/certificates',
  journal: '/journal',
  // Before journalEntry: 'new' is not an entry id.
  journalNew: '/journal/new',
  journalEntry: '/journal/:entryId',
  trainerJournal: '/manage/:id/journal',
  manage: '/manage',
  newTraining: '/manage/new',
  editTraining: '/manage/:id/edit',
  manageTraining: '/manage/:id',
  checkInScreen: '/manage/:id/sessions/:sessionId/qr',
  survey: '/surveys/:surveyId',
  dashboard: '/dashboard',
  verify: '/verify/:code',
} as const;

export type RouteName = keyof typeof routePatterns;

export interface Match {
  name: RouteName | 'notFound';
  params: Record<string, string>;
}

export function matchRoute(pathname: string): Match {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  const parts = path.split('/');
  for (const [name, pattern] of Object.entries(routePatterns) as [RouteName, string][]) {
    const expected = pattern.split('/');
    if (expected.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const matched = expected.every((segment, index) => {
      const actual = parts[index]!;
      if (segment.startsWith(':')) {
        if (actual === '') return false;
        try {
          params[segment.slice(1)] = decodeURIComponent(actual);
        } catch {
          return false;
        }
        return true;
      }
      return segment === actual;
    });
    if (matched) return { name, params };
  }
  return { name: 'notFound', params: {} };
}

/** Builds a path from a pattern, encoding each parameter. */
export function pathTo(name: RouteName, params: Record<string, string> = {}): string {
  return routePatterns[name].replace(/:(\w+)/g, (_, key: string) => encodeURIComponent(params[key] ?? ''));
}
