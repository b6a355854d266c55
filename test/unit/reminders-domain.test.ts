import { describe, expect, it } from 'vitest';
import { dueReminders, isRecipient, reminderKey, reminderSearchRanges } from '../../shared/domain/reminders';
import { feedbackReminderEmail, trainingStartsSoonEmail } from '../../shared/mail/reminder-emails';
import type { Training } from '../../shared/schemas/training';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const training: Training = {
  id: 'tr-9',
  title: { kk: 'Көшбасшылық және өзгеріс', ru: 'Лидерство и изменения', en: 'Leadership and change' },
  topic: 'leadership',
  language: 'kk',
  region: 'almaty',
  level: 2,
  hours: 9,
  capacity: 25,
  sessions: [
    { id: 's1', startsAt: '2026-12-01T04:00:00.000Z', endsAt: '2026-12-01T07:00:00.000Z', venue: 'Алматы, №12 мектеп' },
    { id: 's2', startsAt: '2026-12-03T04:00:00.000Z', endsAt: '2026-12-03T07:00:00.000Z', onlineUrl: 'https://meet.example.org/x' },
  ],
  completionThreshold: 0.8,
  feedbackRequired: true,
  status: 'published',
  trainer: { sub: 't-1', name: 'Ерлан Әбенов', email: 'trainer@demo.kz' },
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
};
const firstStart = Date.parse('2026-12-01T04:00:00.000Z');
const lastEnd = Date.parse('2026-12-03T07:00:00.000Z');
const at = (ms: number) => new Date(ms);

describe('when a reminder is due', () => {
  it('keeps asking a closed training\'s participants for feedback, and reminds nobody of a cancelled one', () => {
    const closed: Training = { ...training, status: 'closed' };
    expect(dueReminders(closed, at(lastEnd + DAY))).toEqual(['feedback-day-1']);
    expect(dueReminders(closed, at(lastEnd + 7 * DAY))).toEqual(['feedback-day-7']);
    expect(dueReminders(closed, at(firstStart - DAY))).toEqual([]);
    const cancelled: Training = { ...training, status: 'cancelled' };
    expect(dueReminders(cancelled, at(lastEnd + DAY))).toEqual([]);
  });

  it('reminds of the training from 24 h before the first session until it starts, never before or after', () => {
    expect(dueReminders(training, at(firstStart - DAY - 1))).toEqual([]);
    expect(dueReminders(training, at(firstStart - DAY))).toEqual(['training-starts']);
    expect(dueReminders(training, at(firstStart - 1))).toEqual(['training-starts']);
    expect(dueReminders(training, at(firstStart))).toEqual([]);
  });

  it('asks for feedback 1 day after the end, then 7 days after, until feedback closes', () => {
    expect(dueReminders(training, at(lastEnd))).toEqual([]);
    expect(dueReminders(training, at(lastEnd + DAY - 1))).toEqual([]);
    expect(dueReminders(training, at(lastEnd + DAY))).toEqual(['feedback-day-1']);
    expect(dueReminders(training, at(lastEnd + 7 * DAY - 1))).toEqual(['feedback-day-1']);
    expect(dueReminders(training, at(lastEnd + 7 * DAY))).toEqual(['feedback-day-7']);
    expect(dueReminders(training, at(lastEnd + 30 * DAY - 1))).toEqual(['feedback-day-7']);
    expect(dueReminders(training, at(lastEnd + 30 * DAY))).toEqual([]);
  });

  it('after a long outage sends only the reminder that is current: no "1 day after" on day 8', () => {
    expect(dueReminders(training, at(lastEnd + 8 * DAY))).toEqual(['feedback-day-7']);
  });

  it('has nothing due for a training that is not published', () => {
    expect(dueReminders({ ...training, status: 'cancelled' }, at(firstStart - HOUR))).toEqual([]);
    expect(dueReminders({ ...training, status: 'draft' }, at(lastEnd + 2 * DAY))).toEqual([]);
  });

  it('finds every training with a reminder due in the ranges it searches', () => {
    for (const now of [firstStart - DAY, firstStart - 1, lastEnd + DAY, lastEnd + 8 * DAY, lastEnd + 30 * DAY - 1]) {
      const ranges = reminderSearchRanges(at(now));
      const inRange = (range: { from: string; to: string }) =>
        firstStart >= Date.parse(range.from) && firstStart <= Date.parse(range.to);
      expect(inRange(ranges.startingSoon) || inRange(ranges.ended), new Date(now).toISOString()).toBe(true);
    }
  });
});

describe('who gets a reminder', () => {
  it('reminds confirmed participants of the start, and only those who have not answered of the feedback', () => {
    expect(isRecipient('training-starts', { status: 'confirmed', feedbackSubmittedAt: '2026-12-01T00:00:00Z' })).toBe(true);
    expect(isRecipient('training-starts', { status: 'waitlisted' })).toBe(false);
    expect(isRecipient('feedback-day-1', { status: 'confirmed' })).toBe(true);
    expect(isRecipient('feedback-day-7', { status: 'confirmed', feedbackSubmittedAt: '2026-12-04T00:00:00Z' })).toBe(false);
    expect(isRecipient('feedback-day-1', { status: 'cancelled' })).toBe(false);
  });

  it('keys each reminder by kind, training and registration', () => {
    expect(reminderKey('feedback-day-7', 'tr-9', 'reg-1')).toBe('reminder#feedback-day-7#tr-9#reg-1');
    expect(reminderKey('feedback-day-1', 'tr-9', 'reg-1')).not.toBe(reminderKey('feedback-day-7', 'tr-9', 'reg-1'));
  });
});

describe('reminder emails', () => {
  const reader = { email: 'aigul@school.kz', fullName: 'Айгүл Жұмабекқызы', preferredLanguage: 'kk' as const };

  it('reminds of the start in the reader’s language, with every session and where to cancel', () => {
    const email = trainingStartsSoonEmail(training, reader);
    expect(email.to).toBe('aigul@school.kz');
    expect(email.subject).toBe('Еске салу: «Көшбасшылық және өзгеріс» оқытуы жақында басталады');
    expect(email.text).toContain('Құрметті Айгүл Жұмабекқызы!');
    expect(email.text).toContain('Алматы, №12 мектеп');
    expect(email.text).toContain('https://meet.example.org/x');
    expect(email.text).toContain('/trainings/tr-9');
  });

  it('asks for feedback with the form link, the closing date and why it matters', () => {
    const first = feedbackReminderEmail(training, { ...reader, preferredLanguage: 'ru' }, 'first');
    expect(first.subject).toBe('Поделитесь отзывом об обучении «Лидерство и изменения»');
    expect(first.text).toContain('/trainings/tr-9/feedback');
    expect(first.text).toContain('анонимный');
    expect(first.text).toContain('сертификата');
    expect(first.text).toContain('2 января 2027');

    const second = feedbackReminderEmail({ ...training, feedbackRequired: false }, { ...reader, preferredLanguage: 'en' }, 'second');
    expect(second.subject).toBe('Reminder: your feedback on “Leadership and change”');
    expect(second.text).not.toContain('certificate');
    expect(feedbackReminderEmail(training, reader, 'second').text).toContain('Пікір формасы:');
  });
});
