import { almatyDateTime as formatInstant } from '../../shared/locale/almaty';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Language } from '../../shared/locale/language';
import type { OutgoingEmail } from '../../shared/mail/client';

import {
  registrationCancelledEmail,
  registrationConfirmedEmail,
  registrationPromotedEmail,
  registrationWaitlistedEmail,
  trainingCancelledEmail,
  type EmailRegistration,
} from '../../shared/mail/registration-emails';
import type { Registration } from '../../shared/schemas/registration';
import type { Training } from '../../shared/schemas/training';

const titles = {
  kk: 'Жаңартылған білім беру мазмұны: әдістеме және бағалау',
  ru: 'Обновлённое содержание образования: методика и оценивание',
  en: 'Updated curriculum: methods and assessment',
};

const training: Training = {
  id: 'tr-7',
  title: titles,
  topic: 'curriculum',
  language: 'kk',
  region: 'almaty',
  level: 1,
  hours: 6,
  capacity: 25,
  sessions: [
    { id: 's2', startsAt: '2026-12-02T04:00:00.000Z', endsAt: '2026-12-02T06:00:00.000Z', onlineUrl: 'https://zoom.us/j/555' },
    {
      id: 's1',
      startsAt: '2026-12-01T04:00:00.000Z',
      endsAt: '2026-12-01T08:00:00.000Z',
      venue: 'Алматы, «Өрлеу» БАО, 204-кабинет',
    },
  ],
  completionThreshold: 0.8,
  feedbackRequired: true,
  status: 'published',
  trainer: { sub: 't-1', name: 'Әсел Нұрланқызы', email: 'asel@orleu.kz' },
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
};

const participantName = 'Гүлнәр Қайратқызы Өмірбекова';

function registration(overrides: Partial<Registration> = {}): Registration {
  return {
    registrationId: 'r-1',
    trainingId: training.id,
    userSub: 'u-1',
    email: 'gulnar@school.kz',
    fullName: participantName,
    preferredLanguage: 'kk',
    status: 'confirmed',
    registeredAt: '2026-11-10T05:00:00.000Z',
    confirmedAt: '2026-11-10T05:00:00.000Z',
    source: 'self',
    ...overrides,
  };
}

const languages: Language[] = ['kk', 'ru', 'en'];
const greetings: Record<Language, string> = {
  kk: `Құрметті ${participantName}!`,
  ru: `Здравствуйте, ${participantName}!`,
  en: `Dear ${participantName},`,
};
const trainingPage = 'https://oqu.example.kz/trainings/tr-7';

beforeAll(() => {
  vi.stubEnv('PUBLIC_BASE_URL', 'https://oqu.example.kz/');
});
afterAll(() => {
  vi.unstubAllEnvs();
});

function calendarOf(email: OutgoingEmail) {
  expect(email.attachments).toHaveLength(1);
  const attachment = email.attachments![0]!;
  expect(typeof attachment.content).toBe('string');
  const calendar = ICAL.Component.fromString(String(attachment.content));
  return { attachment, calendar, events: calendar.getAllSubcomponents('vevent') };
}

function expectCommonShape(email: OutgoingEmail, language: Language) {
  expect(email.to).toBe('gulnar@school.kz');
  expect(email.subject).toContain(titles[language]);
  expect(email.text.startsWith(`${greetings[language]}\n\n`)).toBe(true);
  expect(email.text).toContain(language === 'en' ? `“${titles.en}”` : `«${titles[language]}»`);
  // Nothing of the other languages' templates leaks in.
  for (const other of languages.filter((candidate) => candidate !== language)) {
    expect(email.text).not.toContain(greetings[other]);
  }
}

/** "13:00": the wall-clock time in Almaty, which the same-day end of a session is written as. */
function almatyClock(instant: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Almaty', hour: '2-digit', minute: '2-digit' }).format(new Date(instant));
}

/** The session list: each session's Almaty date and time, venue and link. */
function expectSessionList(text: string, language: Language) {
  expect(text).toContain(`1. ${formatInstant('2026-12-01T04:00:00.000Z', language)}–${almatyClock('2026-12-01T08:00:00.000Z')}`);
  expect(text).toContain(`2. ${formatInstant('2026-12-02T04:00:00.000Z', language)}–${almatyClock('2026-12-02T06:00:00.000Z')}`);
  expect(text).toContain('Алматы, «Өрлеу» БАО, 204-кабинет');
  expect(text).toContain('https://zoom.us/j/555');
  // In time order, whatever order the training stores them in.
  expect(text.indexOf('204-кабинет')).toBeLessThan(text.indexOf('https://zoom.us/j/555'));
}

describe.each(languages)('in %s', (language) => {
  const reader = () => registration({ preferredLanguage: language });

  it('registrationConfirmedEmail lists every session and attaches a REQUEST invitation', () => {
    const email = registrationConfirmedEmail(training, reader());
    expectCommonShape(email, language);
    expectSessionList(email.text, language);
    expect(email.text).toContain(trainingPage);
    expect(email.text).toContain('invite.ics');
    expect(email.text).toContain('asel@orleu.kz');
    const { attachment, calendar, events } = calendarOf(email);
    expect(attachment.filename).toBe('invite.ics');
    expect(attachment.contentType).toBe('text/calendar; charset=utf-8; method=REQUEST');
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(events).toHaveLength(2);
    const attendee = events[0]!.getFirstProperty('attendee');
    expect(attendee?.getParameter('cn')).toBe(participantName);
    expect(String(attendee?.getFirstValue()).toLowerCase()).toBe('mailto:gulnar@school.kz');
  });

  it('registrationWaitlistedEmail states the place in the queue and sends no invitation yet', () => {
    const email = registrationWaitlistedEmail(training, registration({
      preferredLanguage: language,
      status: 'waitlisted',
      waitlistPosition: 4,
      confirmedAt: undefined,
    }));
    expectCommonShape(email, language);
    const positionText = { kk: 'Кезектегі нөміріңіз: 4.', ru: 'Ваш номер в очереди: 4.', en: 'Your place in the queue: 4.' };
    expect(email.text).toContain(positionText[language]);
    expect(email.text).toContain(formatInstant('2026-12-01T04:00:00.000Z', language));
    expect(email.text).toContain(trainingPage);
    expect(email.attachments).toBeUndefined();
  });

  it('registrationWaitlistedEmail reads well without a known position', () => {
    const email = registrationWaitlistedEmail(training, registration({ preferredLanguage: language, status: 'waitlisted', confirmedAt: undefined }));
    expect(email.text).not.toContain('undefined');
    expect(email.text).not.toMatch(/Кезектегі нөміріңіз|Ваш номер в очереди|Your place in the queue/);
    expect(email.text).toMatch(/күту тізіміне қосылдыңыз|добавлены в лист ожидания|you are on the waiting list/);
  });

  it('registrationPromotedEmail says a seat is now theirs and attaches the invitation', () => {
    const email = registrationPromotedEmail(training, reader());
    expectCommonShape(email, language);
    expectSessionList(email.text, language);
    const promoted = { kk: 'орын босап, ол сізге берілді', ru: 'освободилось место, и теперь оно ваше', en: 'it is now yours' };
    expect(email.text).toContain(promoted[language]);
    const { attachment, calendar } = calendarOf(email);
    expect(attachment.filename).toBe('invite.ics');
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
  });

  it('registrationCancelledEmail confirms the cancellation and removes the invitation it had', () => {
    const email = registrationCancelledEmail(training, registration({
      preferredLanguage: language,
      status: 'cancelled',
      cancelledAt: '2026-11-15T05:00:00.000Z',
    }));
    expectCommonShape(email, language);
    expect(email.text).toContain(trainingPage);
    expect(email.text).toContain('asel@orleu.kz');
    const { attachment, calendar, events } = calendarOf(email);
    expect(attachment.filename).toBe('cancel.ics');
    expect(attachment.contentType).toBe('text/calendar; charset=utf-8; method=CANCEL');
    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(events.map((event) => event.getFirstPropertyValue('status'))).toEqual(['CANCELLED', 'CANCELLED']);
  });

  it('registrationCancelledEmail attaches nothing for someone who never held a seat', () => {
    const email = registrationCancelledEmail(training, registration({
      preferredLanguage: language,
      status: 'cancelled',
      confirmedAt: undefined,
    }));
    expect(email.attachments).toBeUndefined();
    expect(email.text).not.toContain('cancel.ics');
  });

  it('trainingCancelledEmail gives the reason and attaches a CANCEL for every session', () => {
    const reason = 'Тренер ауырып қалды; жаңа күн кейін хабарланады';
    const email = trainingCancelledEmail({ ...training, status: 'cancelled', cancellationReason: reason }, reader());
    expectCommonShape(email, language);
    const reasonLabel = { kk: 'Себебі', ru: 'Причина', en: 'Reason' };
    expect(email.text).toContain(`${reasonLabel[language]}: ${reason}`);
    expect(email.text).toContain('https://oqu.example.kz/trainings');
    const { calendar, events } = calendarOf(email);
    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(events.map((event) => event.getFirstPropertyValue('uid'))).toEqual([
      'tr-7-s1@cascade-training',
      'tr-7-s2@cascade-training',
    ]);
    expect(events.map((event) => event.getFirstPropertyValue('status'))).toEqual(['CANCELLED', 'CANCELLED']);
  });

  it('trainingCancelledEmail without a reason says nothing about one', () => {
    const email = trainingCancelledEmail({ ...training, status: 'cancelled' }, reader());
    expect(email.text).not.toMatch(/Себебі|Причина|Reason/);
    expect(email.attachments).toHaveLength(1);
  });
});

describe('subjects', () => {
  it.each([
    ['registrationConfirmedEmail', registrationConfirmedEmail, { kk: 'Тіркелуіңіз расталды', ru: 'Регистрация подтверждена', en: 'Registration confirmed' }],
    ['registrationWaitlistedEmail', registrationWaitlistedEmail, { kk: 'Сіз күту тізіміндесіз', ru: 'Вы в листе ожидания', en: 'You are on the waiting list' }],
    ['registrationPromotedEmail', registrationPromotedEmail, { kk: 'Сізге орын босады', ru: 'Для вас освободилось место', en: 'A seat is now yours' }],
    ['registrationCancelledEmail', registrationCancelledEmail, { kk: 'Тіркеуіңіз жойылды', ru: 'Регистрация отменена', en: 'Registration cancelled' }],
    ['trainingCancelledEmail', trainingCancelledEmail, { kk: 'Оқыту өтпейді', ru: 'Обучение отменено', en: 'Training cancelled' }],
  ] as const)('%s is worded in the reader’s language', (_name, template, subjects) => {
    for (const language of languages) {
      const email = template(training, registration({ preferredLanguage: language, waitlistPosition: 1 }));
      expect(email.subject).toBe(`${subjects[language]}: ${titles[language]}`);
    }
  });
});

describe('language choice', () => {
  it('falls back to the training language when the participant has none', () => {
    const withoutPreference: EmailRegistration = { email: 'gulnar@school.kz', fullName: participantName, status: 'confirmed' };
    const email = registrationConfirmedEmail({ ...training, language: 'ru' }, withoutPreference);
    expect(email.text.startsWith(greetings.ru)).toBe(true);
    expect(email.subject).toBe(`Регистрация подтверждена: ${titles.ru}`);
  });

  it('writes in the participant’s language even when the title exists only in another', () => {
    const kazakhOnly = { ...training, title: { kk: titles.kk } };
    const email = registrationConfirmedEmail(kazakhOnly, registration({ preferredLanguage: 'en' }));
    expect(email.text.startsWith(greetings.en)).toBe(true);
    expect(email.subject).toBe(`Registration confirmed: ${titles.kk}`);
  });

  it('keeps the calendar entries in the training language whatever the email language', () => {
    const email = registrationConfirmedEmail(training, registration({ preferredLanguage: 'en' }));
    const { events } = calendarOf(email);
    expect(events.map((event) => event.getFirstPropertyValue('summary'))).toEqual([titles.kk, titles.kk]);
  });
});

describe('session times', () => {
  it('writes the end date out when a session ends on another day in Almaty', () => {
    const overnight = {
      ...training,
      sessions: [{ id: 's1', startsAt: '2026-12-01T16:00:00.000Z', endsAt: '2026-12-01T20:00:00.000Z', venue: 'Астана' }],
    };
    const email = registrationConfirmedEmail(overnight, registration({ preferredLanguage: 'en' }));
    expect(email.text).toContain(
      `1. ${formatInstant('2026-12-01T16:00:00.000Z', 'en')} – ${formatInstant('2026-12-01T20:00:00.000Z', 'en')}`,
    );
  });
});
