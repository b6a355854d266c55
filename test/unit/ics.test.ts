import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sessionEventUid, trainingCalendar, type CalendarTraining } from '../../shared/mail/ics';

const KAZAKH_LETTERS = 'ә ғ қ ң ө ұ ү һ і Ә Ғ Қ Ң Ө Ұ Ү Һ І';
// Long enough to be folded, with every Kazakh letter and the characters that need escaping.
const kazakhTitle = `Жаңартылған бағдарлама: ${KAZAKH_LETTERS}; оқыту, әдістеме \\ тәжірибе және бағалау`;
const onlineUrl = 'https://zoom.us/j/123456789?pwd=ҚазақшаEmes';

const training: CalendarTraining = {
  id: 'tr-42',
  title: { kk: kazakhTitle, ru: 'Обновлённая программа', en: 'Updated curriculum' },
  language: 'kk',
  createdAt: '2026-11-01T00:00:00.000Z',
  trainer: { sub: 't-1', name: 'Әсел "Ақ" Нұрланқызы', email: 'asel@orleu.kz' },
  sessions: [
    // Out of order on purpose: events are written in time order whatever the input order.
    { id: 's2', startsAt: '2026-12-02T04:00:00.000Z', endsAt: '2026-12-02T07:00:00.000Z', onlineUrl },
    {
      id: 's1',
      startsAt: '2026-12-01T04:00:00.000Z',
      endsAt: '2026-12-01T07:30:00.000Z',
      venue: 'Алматы, Абай даңғылы 10; 3-қабат, №5 мектеп',
    },
    {
      id: 's3',
      startsAt: '2026-12-03T04:00:00.000Z',
      endsAt: '2026-12-03T06:00:00.000Z',
      venue: 'Өскемен, «Өрлеу» филиалы',
      onlineUrl: 'https://meet.example.kz/room-3',
    },
  ],
};

const requestStamp = new Date('2026-11-20T10:00:00.000Z');

function parseEvents(ics: string) {
  const calendar = ICAL.Component.fromString(ics);
  const events = calendar.getAllSubcomponents('vevent').map((component) => ({
    component,
    event: new ICAL.Event(component),
  }));
  return { calendar, events };
}

function eventFor(ics: string, sessionId: string) {
  const found = parseEvents(ics).events.find(({ event }) => event.uid === sessionEventUid(training.id, sessionId));
  if (!found) throw new Error(`no event for session ${sessionId}`);
  return found;
}

/** Physical lines as bytes, split at CRLF only. */
function physicalLines(ics: string): Buffer[] {
  const bytes = Buffer.from(ics, 'utf8');
  const lines: Buffer[] = [];
  let start = 0;
  for (let index = 0; index < bytes.length - 1; index += 1) {
    if (bytes[index] === 0x0d && bytes[index + 1] === 0x0a) {
      lines.push(bytes.subarray(start, index));
      start = index + 2;
      index += 1;
    }
  }
  expect(start, 'the text ends with CRLF').toBe(bytes.length);
  return lines;
}

beforeAll(() => {
  vi.stubEnv('PUBLIC_BASE_URL', 'https://oqu.example.kz');
});
afterAll(() => {
  vi.unstubAllEnvs();
});

describe('trainingCalendar REQUEST', () => {
  let ics = '';
  beforeAll(() => {
    ics = trainingCalendar(training, {
      method: 'REQUEST',
      attendeeEmail: 'kairat@school.kz',
      attendeeName: 'Қайрат Серікұлы',
      stamp: requestStamp,
    });
  });

  it('parses back with an independent parser into one event per session', () => {
    const { calendar, events } = parseEvents(ics);
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(events.map(({ event }) => event.uid)).toEqual([
      'tr-42-s1@cascade-training',
      'tr-42-s2@cascade-training',
      'tr-42-s3@cascade-training',
    ]);
    for (const session of training.sessions) {
      const { event, component } = eventFor(ics, session.id);
      expect(event.startDate.toJSDate().toISOString()).toBe(session.startsAt);
      expect(event.endDate.toJSDate().toISOString()).toBe(session.endsAt);
      expect(event.startDate.zone.tzid).toBe('UTC');
      expect(component.getFirstPropertyValue('status')).toBe('CONFIRMED');
      expect(component.getFirstPropertyValue('dtstamp')?.toString()).toBe('2026-11-20T10:00:00Z');
    }
  });

  it('keeps a Kazakh title with every special letter intact, in the training language', () => {
    for (const { event } of parseEvents(ics).events) {
      expect(event.summary).toBe(kazakhTitle);
      for (const letter of KAZAKH_LETTERS.split(' ')) expect(event.summary).toContain(letter);
    }
  });

  it('writes the venue as LOCATION with commas and semicolons escaped and restored', () => {
    expect(eventFor(ics, 's1').event.location).toBe('Алматы, Абай даңғылы 10; 3-қабат, №5 мектеп');
    expect(ics).toContain('Абай даңғылы 10\\; 3-қабат\\,');
    expect(eventFor(ics, 's3').event.location).toBe('Өскемен, «Өрлеу» филиалы');
  });

  it('puts the online link in URL and DESCRIPTION, and uses it as the place of an online-only session', () => {
    const online = eventFor(ics, 's2');
    expect(online.component.getFirstPropertyValue('url')).toBe(onlineUrl);
    expect(online.event.description).toContain(onlineUrl);
    expect(online.event.location).toBe(onlineUrl);

    const mixed = eventFor(ics, 's3');
    expect(mixed.component.getFirstPropertyValue('url')).toBe('https://meet.example.kz/room-3');
    expect(mixed.event.description).toContain('https://meet.example.kz/room-3');
  });

  it('links a session without an online link to the training page', () => {
    const inPerson = eventFor(ics, 's1');
    expect(inPerson.component.getFirstPropertyValue('url')).toBe('https://oqu.example.kz/trainings/tr-42');
    expect(inPerson.event.description).toBe('1-сабақ, барлығы 3 сабақ.\nОқыту беті: https://oqu.example.kz/trainings/tr-42');
  });

  it('names the trainer as organizer and the participant as attendee', () => {
    const { component } = eventFor(ics, 's1');
    const organizer = component.getFirstProperty('organizer');
    expect(organizer?.getFirstValue()).toBe('mailto:asel@orleu.kz');
    // A double quote cannot appear in a parameter value, so it is replaced rather than escaped.
    expect(organizer?.getParameter('cn')).toBe("Әсел 'Ақ' Нұрланқызы");
    const attendee = component.getFirstProperty('attendee');
    expect(String(attendee?.getFirstValue()).toLowerCase()).toBe('mailto:kairat@school.kz');
    expect(attendee?.getParameter('cn')).toBe('Қайрат Серікұлы');
    expect(attendee?.getParameter('rsvp')).toBe('FALSE');
  });

  it('uses CRLF only, ends with CRLF, and folds lines at 75 octets without splitting a character', () => {
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = physicalLines(ics);
    const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
    for (const line of lines) {
      expect(line.length, line.toString('utf8')).toBeLessThanOrEqual(75);
      expect(() => strictUtf8.decode(line)).not.toThrow();
    }
    expect(lines.some((line) => line[0] === 0x20), 'some line was folded').toBe(true);
  });

  it('writes instants in UTC with a Z', () => {
    expect(ics).toContain('\r\nDTSTART:20261201T040000Z\r\n');
    expect(ics).toContain('\r\nDTEND:20261201T073000Z\r\n');
    expect(ics).not.toContain('TZID');
  });

  it('writes the SUMMARY in Russian for a Russian training', () => {
    const russian = trainingCalendar({ ...training, language: 'ru' }, { method: 'REQUEST', stamp: requestStamp });
    expect(parseEvents(russian).events.map(({ event }) => event.summary)).toEqual(Array(3).fill('Обновлённая программа'));
    expect(eventFor(russian, 's1').event.description).toContain('Занятие 1 из 3.');
  });

  it('leaves out ATTENDEE when no participant is given', () => {
    const plain = trainingCalendar(training, { method: 'REQUEST', stamp: requestStamp });
    expect(plain).not.toContain('ATTENDEE');
  });
});

describe('trainingCalendar CANCEL', () => {
  it('cancels the same events with a higher sequence than the invitation sent before', () => {
    const invitation = trainingCalendar(training, { method: 'REQUEST', stamp: requestStamp });
    const cancellation = trainingCalendar(training, {
      method: 'CANCEL',
      attendeeEmail: 'kairat@school.kz',
      attendeeName: 'Қайрат Серікұлы',
      stamp: new Date('2026-11-25T08:00:00.000Z'),
    });
    const before = parseEvents(invitation).events;
    const { calendar, events } = parseEvents(cancellation);
    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(events.map(({ event }) => event.uid)).toEqual(before.map(({ event }) => event.uid));
    events.forEach(({ event, component }, index) => {
      expect(component.getFirstPropertyValue('status')).toBe('CANCELLED');
      expect(event.sequence).toBeGreaterThan(before[index]!.event.sequence);
    });
  });

  it('uses an explicit sequence when given', () => {
    const cancellation = trainingCalendar(training, { method: 'CANCEL', sequence: 7, stamp: requestStamp });
    expect(parseEvents(cancellation).events.map(({ event }) => event.sequence)).toEqual([7, 7, 7]);
  });
});
