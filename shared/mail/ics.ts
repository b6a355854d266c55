/**
 * Calendar invitations (RFC 5545 with iTIP methods, RFC 5546) for a training's sessions.
 *
 * ical-generator does the format's fiddly parts — text escaping, UTC date-times, and folding at
 * 75 octets without cutting a multi-byte UTF-8 character (Kazakh letters are two bytes each).
 * Version 10 is used because 11 needs Node 22 and the developers' machines run Node 20.
 */
import { titleIn } from '../locale/title';
import ical, {
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendarMethod,
  ICalEventStatus,
  type ICalAttendeeData,
} from 'ical-generator';
import type { Language } from '../locale/language';
import type { Training } from '../schemas/training';
import { isTeamsMeetingUrl } from '../domain/online-meeting';
import { publicUrl } from './format';

export type CalendarMethod = 'REQUEST' | 'CANCEL';

export interface TrainingCalendarOptions {
  /** REQUEST adds or updates the events in the reader's calendar, CANCEL removes them. */
  method: CalendarMethod;
  /**
   * Calendars apply a message only if its SEQUENCE is not lower than the one they hold. When not
   * given it is the number of seconds from the training's creation to `stamp`, so every later
   * message supersedes every earlier one (a cancellation its invitation, a new invitation after
   * a cancellation) without anyone having to store a counter.
   */
  sequence?: number;
  attendeeEmail?: string;
  attendeeName?: string;
  /** When the message is made (DTSTAMP); now unless given. */
  stamp?: Date;
}

export type CalendarTraining = Pick<Training, 'id' | 'title' | 'language' | 'sessions' | 'trainer' | 'createdAt'>;

const PRODUCT_DOMAIN = 'cascade-training';

/** Stable per session, so a later CANCEL or update finds the event the invitation created. */
export function sessionEventUid(trainingId: string, sessionId: string): string {
  return `${trainingId}-${sessionId}@${PRODUCT_DOMAIN}`;
}

const descriptionTexts: Record<
  Language,
  { sessionOf: (index: number, count: number) => string; online: string; teams: string; page: string }
> = {
  kk: {
    sessionOf: (index, count) => `${index}-сабақ, барлығы ${count} сабақ.`,
    online: 'Онлайн қосылу',
    teams: 'Microsoft Teams жиналысына қосылу',
    page: 'Оқыту беті',
  },
  ru: {
    sessionOf: (index, count) => `Занятие ${index} из ${count}.`,
    online: 'Подключиться онлайн',
    teams: 'Подключиться к собранию Microsoft Teams',
    page: 'Страница обучения',
  },
  en: {
    sessionOf: (index, count) => `Session ${index} of ${count}.`,
    online: 'Join online',
    teams: 'Join the Microsoft Teams meeting',
    page: 'Training page',
  },
};

/** What Outlook and Teams write as the place of a Teams meeting; it reads the same in every language. */
const TEAMS_LOCATION = 'Microsoft Teams Meeting';

/**
 * One VCALENDAR with one VEVENT per session, written in the training's language. CRLF line
 * endings throughout, including after the last line as RFC 5545 requires.
 */
export function trainingCalendar(training: CalendarTraining, options: TrainingCalendarOptions): string {
  const stamp = options.stamp ?? new Date();
  const sequence = options.sequence ?? defaultSequence(training.createdAt, stamp);
  const language = training.language;
  const title = titleIn(training.title, language);
  const texts = descriptionTexts[language];
  const trainingPage = publicUrl(`/trainings/${training.id}`);
  const cancelling = options.method === 'CANCEL';

  const calendar = ical({
    prodId: { company: PRODUCT_DOMAIN, product: 'registration', language: language.toUpperCase() },
    method: cancelling ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });

  const attendees: ICalAttendeeData[] = options.attendeeEmail
    ? [
        {
          email: options.attendeeEmail,
          ...(options.attendeeName ? { name: parameterText(options.attendeeName) } : {}),
          role: ICalAttendeeRole.REQ,
          // The participant registered themselves, so the seat is already accepted; RSVP=FALSE
          // keeps calendars from mailing the trainer a reply for every participant.
          status: ICalAttendeeStatus.ACCEPTED,
          rsvp: false,
        },
      ]
    : [];

  const sessions = [...training.sessions].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  sessions.forEach((session, index) => {
    const teams = isTeamsMeetingUrl(session.onlineUrl);
    const description = [
      sessions.length > 1 ? texts.sessionOf(index + 1, sessions.length) : undefined,
      session.onlineUrl ? `${teams ? texts.teams : texts.online}: ${session.onlineUrl}` : undefined,
      `${texts.page}: ${trainingPage}`,
    ]
      .filter((line): line is string => line !== undefined)
      .join('\n');
    calendar.createEvent({
      id: sessionEventUid(training.id, session.id),
      sequence,
      stamp,
      start: new Date(session.startsAt),
      end: new Date(session.endsAt),
      summary: title,
      description,
      // An online-only session has no venue; its link is where the reader will "go".
      location: session.venue ?? (teams ? TEAMS_LOCATION : session.onlineUrl) ?? null,
      url: session.onlineUrl ?? trainingPage,
      // Outlook shows its "Join" button for a Teams meeting from this property.
      ...(teams && session.onlineUrl ? { x: { 'X-MICROSOFT-SKYPETEAMSMEETINGURL': session.onlineUrl } } : {}),
      organizer: { name: parameterText(training.trainer.name), email: training.trainer.email },
      attendees,
      status: cancelling ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  });

  return `${calendar.toString()}\r\n`;
}

function defaultSequence(createdAt: string, stamp: Date): number {
  const seconds = Math.floor((stamp.getTime() - Date.parse(createdAt)) / 1000);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
}

/**
 * A CN parameter is a quoted string in which RFC 5545 allows neither a double quote nor a line
 * break, and has no escape for them; the library would write `\"`, which parsers reject.
 */
function parameterText(name: string): string {
  return name.replace(/"/g, "'").replace(/[\s\p{Cc}]+/gu, ' ').trim();
}
