/**
 * What kind of online meeting a session's link opens. Pure. Only Microsoft Teams is told apart:
 * the programme runs its online trainings there, and calendars and readers treat a Teams meeting
 * specially (Outlook shows its "Join" button for the X-MICROSOFT-SKYPETEAMSMEETINGURL property).
 */
const TEAMS_HOSTS = ['teams.microsoft.com', 'teams.live.com', 'teams.microsoft.us', 'gov.teams.microsoft.us', 'dod.teams.microsoft.us'];

/** A Teams meeting link: https on a Teams host (work, personal or government cloud). */
export function isTeamsMeetingUrl(link: string | undefined): boolean {
  if (!link) return false;
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return false;
  }
  const host = url.hostname.toLowerCase();
  return url.protocol === 'https:' && TEAMS_HOSTS.some((teams) => host === teams || host.endsWith(`.${teams}`));
}
