import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isTeamsMeetingUrl } from '../../shared/domain/online-meeting';
import { trainingCalendar } from '../../shared/mail/ics';
import { registrationConfirmedEmail } from '../../shared/mail/registration-emails';
import { sessionList } from '../../shared/mail/session-list';
import { sessionInputSchema, type Training } from '../../shared/schemas/training';

const teamsLink = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjQ4ZDk2%40thread.v2/0?context=%7b%22Tid%22%3a%22x%22%7d';

const training: Training = {
  id: 'tr-teams',
  title: { kk: 'Цифрлық сауаттылық', ru: 'Цифровая грамотность', en: 'Digital literacy' },
  topic: 'digital',
  language: 'ru',
  region: 'almaty',
  level: 1,
  hours: 6,
  capacity: 25,
  sessions: [
    { id: 'online', startsAt: '2026-12-01T04:00:00.000Z', endsAt: '2026-12-01T07:00:00.000Z', onlineUrl: teamsLink },
    { id: 'hybrid', startsAt: '2026-12-02T04:00:00.000Z', endsAt: '2026-12-02T07:00:00.000Z', venue: 'Алматы, №5 мектеп', onlineUrl: teamsLink },
    { id: 'zoom', startsAt: '2026-12-03T04:00:00.000Z', endsAt: '2026-12-03T07:00:00.000Z', onlineUrl: 'https://zoom.us/j/555' },
  ],
  completionThreshold: 0.8,
  feedbackRequired: true,
  status: 'published',
  trainer: { sub: 't-1', name: 'Әсел Нұрланқызы', email: 'asel@orleu.kz' },
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
};

beforeAll(() => {
  vi.stubEnv('PUBLIC_BASE_URL', 'https://oqu.example.kz');
});
afterAll(() => {
  vi.unstubAllEnvs();
});

describe('a session\'s online link', () => {
  it('must be https', () => {
    const session = { startsAt: '2026-12-01T04:00:00Z', endsAt: '2026-12-01T07:00:00Z' };
    expect(sessionInputSchema.safeParse({ ...session, onlineUrl: teamsLink }).success).toBe(true);
    for (const onlineUrl of ['http://teams.microsoft.com/l/meetup-join/x', 'ftp://example.kz/x', 'javascript:alert(1)', 'teams.microsoft.com/l/x']) {
      const result = sessionInputSchema.safeParse({ ...session, onlineUrl });
      expect(result.success, onlineUrl).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/https:\/\/ link/);
    }
  });

  it('is a Teams meeting on a Teams host only, not on a look-alike', () => {
    expect(isTeamsMeetingUrl(teamsLink)).toBe(true);
    expect(isTeamsMeetingUrl('https://teams.live.com/meet/9386?p=abc')).toBe(true);
    expect(isTeamsMeetingUrl('https://gov.teams.microsoft.us/l/meetup-join/x')).toBe(true);
    expect(isTeamsMeetingUrl('https://teams.microsoft.com.evil.kz/l/meetup-join/x')).toBe(false);
    expect(isTeamsMeetingUrl('https://evil.kz/teams.microsoft.com')).toBe(false);
    expect(isTeamsMeetingUrl('http://teams.microsoft.com/l/meetup-join/x')).toBe(false);
    expect(isTeamsMeetingUrl('https://zoom.us/j/555')).toBe(false);
    expect(isTeamsMeetingUrl(undefined)).toBe(false);
  });
});

describe('Teams meetings in the calendar and emails', () => {
  const events = () => {
    const calendar = ICAL.Component.fromString(trainingCalendar(training, { method: 'REQUEST', stamp: new Date('2026-11-20T10:00:00Z') }));
    return new Map(calendar.getAllSubcomponents('vevent').map((component) => [String(component.getFirstPropertyValue('uid')).split('-')[2]!.split('@')[0]!, component]));
  };

  it('names a Teams link as a Teams meeting in the .ics, with the property Outlook joins by', () => {
    const byId = events();
    const online = byId.get('online')!;
    const event = new ICAL.Event(online);
    expect(event.location).toBe('Microsoft Teams Meeting');
    expect(event.description).toContain(`Подключиться к собранию Microsoft Teams: ${teamsLink}`);
    expect(online.getFirstPropertyValue('url')).toBe(teamsLink);
    expect(online.getFirstPropertyValue('x-microsoft-skypeteamsmeetingurl')).toBe(teamsLink);
    // A venue stays the place; the Teams link is still named and joinable.
    const hybrid = byId.get('hybrid')!;
    expect(new ICAL.Event(hybrid).location).toBe('Алматы, №5 мектеп');
    expect(hybrid.getFirstPropertyValue('x-microsoft-skypeteamsmeetingurl')).toBe(teamsLink);
    // Another service's link is not called Teams.
    const zoom = byId.get('zoom')!;
    expect(new ICAL.Event(zoom).location).toBe('https://zoom.us/j/555');
    expect(new ICAL.Event(zoom).description).toContain('Подключиться онлайн: https://zoom.us/j/555');
    expect(zoom.getFirstPropertyValue('x-microsoft-skypeteamsmeetingurl')).toBeNull();
  });

  it('names it in the confirmation email in the reader\'s language', () => {
    expect(sessionList(training, 'kk')).toContain(`Microsoft Teams жиналысы: ${teamsLink}`);
    expect(sessionList(training, 'en')).toContain(`Microsoft Teams meeting: ${teamsLink}`);
    expect(sessionList(training, 'en')).toContain('Join online: https://zoom.us/j/555');
    const email = registrationConfirmedEmail(training, {
      email: 'aigul@school.kz',
      fullName: 'Айгүл Оспанова',
      status: 'confirmed',
      preferredLanguage: 'ru',
    });
    expect(email.text).toContain(`Собрание Microsoft Teams: ${teamsLink}`);
  });
});
