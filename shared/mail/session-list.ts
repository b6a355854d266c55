/**
 * A training's sessions as email text, in the reader's language (Almaty time). Its own module,
 * apart from the registration emails, so the reminders can list sessions without loading the
 * calendar invitations those emails attach.
 */
import { almatyDateTime, almatyDay, almatyTimeOfDay } from '../locale/almaty';
import type { Language } from '../locale/language';
import { isTeamsMeetingUrl } from '../domain/online-meeting';
import type { Training, TrainingSession } from '../schemas/training';

const labels: Record<Language, { sessionsHeading: string; venue: string; online: string; teams: string }> = {
  kk: {
    sessionsHeading: 'Сабақтар (уақыты Алматы бойынша):',
    venue: 'Өтетін орны',
    online: 'Онлайн қосылу',
    teams: 'Microsoft Teams жиналысы',
  },
  ru: {
    sessionsHeading: 'Занятия (время по Алматы):',
    venue: 'Место',
    online: 'Подключиться онлайн',
    teams: 'Собрание Microsoft Teams',
  },
  en: {
    sessionsHeading: 'Sessions (Almaty time):',
    venue: 'Venue',
    online: 'Join online',
    teams: 'Microsoft Teams meeting',
  },
};

export function sessionList(training: Training, language: Language): string {
  const label = labels[language];
  const sessions = [...training.sessions].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  const lines = sessions.flatMap((session, index) => [
    `${index + 1}. ${sessionTime(session, language)}`,
    ...(session.venue ? [`   ${label.venue}: ${session.venue}`] : []),
    ...(session.onlineUrl ? [`   ${isTeamsMeetingUrl(session.onlineUrl) ? label.teams : label.online}: ${session.onlineUrl}`] : []),
  ]);
  return [label.sessionsHeading, ...lines].join('\n');
}

/** "1 December 2026 at 09:00–12:00"; the end's date is written out only when it is another day. */
function sessionTime(session: Pick<TrainingSession, 'startsAt' | 'endsAt'>, language: Language): string {
  const start = almatyDateTime(session.startsAt, language);
  const sameDay = almatyDay(session.startsAt) === almatyDay(session.endsAt);
  if (!sameDay) return `${start} – ${almatyDateTime(session.endsAt, language)}`;
  return `${start}–${almatyTimeOfDay(session.endsAt, language)}`;
}
