import { describe, expect, it } from 'vitest';
import { feedbackForm, formIn, parseFeedbackForm, questionIds, ratingIds } from '../../shared/config/feedback-form';
import { languages } from '../../shared/locale/language';
import {
  answersByQuestion,
  assertFeedbackOpen,
  assertMayCloseEarly,
  assertMayGiveFeedback,
  DEFAULT_MIN_RESPONSES,
  feedbackWindow,
  isFeedbackOpen,
  minimumResponsesFrom,
  ratingSummary,
  releaseDue,
  responseRate,
  tallyRatings,
} from '../../shared/domain/feedback';
import { ConflictError, ForbiddenError } from '../../shared/errors';
import { submitFeedbackSchema, type FeedbackResponse } from '../../shared/schemas/feedback';
import type { Training } from '../../shared/schemas/training';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// Sessions out of order on purpose: the window must follow the last one, not the last listed.
const training: Pick<Training, 'sessions' | 'status'> = {
  status: 'published',
  sessions: [
    { id: 's3', startsAt: '2026-12-03T04:00:00.000Z', endsAt: '2026-12-03T07:00:00.000Z' },
    { id: 's1', startsAt: '2026-12-01T04:00:00.000Z', endsAt: '2026-12-01T07:00:00.000Z' },
    { id: 's2', startsAt: '2026-12-02T04:00:00.000Z', endsAt: '2026-12-02T07:00:00.000Z' },
  ],
};
const lastStart = Date.parse('2026-12-03T04:00:00.000Z');
const lastEnd = Date.parse('2026-12-03T07:00:00.000Z');

function conflictOf(run: () => void): ConflictError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConflictError) return error;
    throw error;
  }
  throw new Error('expected a ConflictError');
}

const ratings = (value: number) => ({ overall: value, relevance: value, trainer: value, materials: value, recommend: value });

function response(overall: number, answers: FeedbackResponse['answers'] = {}): FeedbackResponse {
  return { trainingId: 't', ratings: { ...ratings(4), overall }, answers };
}

describe('the feedback window', () => {
  it('opens when the last session starts and closes 30 days after the last session ends', () => {
    expect(feedbackWindow(training)).toEqual({
      opensAt: new Date(lastStart).toISOString(),
      closesAt: new Date(lastEnd + 30 * DAY).toISOString(),
    });
    expect(isFeedbackOpen(training, new Date(lastStart - 1))).toBe(false);
    expect(isFeedbackOpen(training, new Date(lastStart))).toBe(true);
    expect(isFeedbackOpen(training, new Date(lastEnd + 30 * DAY - 1))).toBe(true);
    expect(isFeedbackOpen(training, new Date(lastEnd + 30 * DAY))).toBe(false);
  });

  it('says when it opens, or when it closed, with a reason a client can act on', () => {
    const early = conflictOf(() => assertFeedbackOpen(training, new Date(lastStart - HOUR)));
    expect(early.reason).toBe('feedback_not_open');
    expect(early.message).toContain('3 December 2026 at 09:00 Almaty time');

    const late = conflictOf(() => assertFeedbackOpen(training, new Date(lastEnd + 30 * DAY)));
    expect(late.reason).toBe('feedback_closed');
    expect(late.message).toContain('2 January 2027 at 12:00 Almaty time');

    expect(() => assertFeedbackOpen(training, new Date(lastStart + HOUR))).not.toThrow();
  });

  it('takes no feedback for a draft or cancelled training; a closed one takes it within the window (it may complete a participant)', () => {
    const inside = new Date(lastEnd + DAY);
    expect(conflictOf(() => assertFeedbackOpen({ ...training, status: 'cancelled' }, inside)).reason).toBe('cancelled');
    expect(() => assertFeedbackOpen({ ...training, status: 'closed' }, inside)).not.toThrow();
    expect(conflictOf(() => assertFeedbackOpen({ ...training, status: 'draft' }, inside)).reason).toBe('not_published');
  });
});

describe('who may give feedback', () => {
  it('lets a confirmed participant give it once', () => {
    expect(() => assertMayGiveFeedback({ status: 'confirmed' })).not.toThrow();
    const again = conflictOf(() => assertMayGiveFeedback({ status: 'confirmed', feedbackSubmittedAt: '2026-12-04T00:00:00Z' }));
    expect(again.reason).toBe('already_submitted');
  });

  it('refuses anyone without a seat: no registration, waitlisted or cancelled', () => {
    expect(() => assertMayGiveFeedback(undefined)).toThrow(ForbiddenError);
    expect(() => assertMayGiveFeedback({ status: 'waitlisted' })).toThrow(ForbiddenError);
    expect(() => assertMayGiveFeedback({ status: 'cancelled' })).toThrow(ForbiddenError);
  });
});

describe('the release rule', () => {
  const during = new Date(lastStart + HOUR);
  const afterWindow = new Date(lastEnd + 30 * DAY);

  it('releases when the window ends, or earlier when every confirmed participant has answered — once', () => {
    expect(releaseDue(training, { responses: 4 }, 10, during)).toBeUndefined();
    expect(releaseDue(training, { responses: 10 }, 10, during)).toBe('all_answered');
    // Someone answered, then withdrew: still everyone who is confirmed.
    expect(releaseDue(training, { responses: 11 }, 10, during)).toBe('all_answered');
    expect(releaseDue(training, { responses: 0 }, 0, during)).toBeUndefined();
    expect(releaseDue(training, { responses: 2 }, 10, afterWindow)).toBe('window_ended');
    expect(releaseDue(training, { responses: 0 }, 10, afterWindow)).toBe('window_ended');
    expect(releaseDue(training, { responses: 10, releasedAt: '2026-12-04T00:00:00.000Z' }, 10, afterWindow)).toBeUndefined();
  });

  it('lets the trainer close early only with the minimum in, naming it in details', () => {
    const below = conflictOf(() => assertMayCloseEarly({ responses: 4 }, 5));
    expect(below.reason).toBe('feedback_below_minimum');
    expect(below.details).toEqual({ minimum: '5', responses: '4' });
    expect(below.message).toMatch(/at least 5/);
    expect(() => assertMayCloseEarly({ responses: 5 }, 5)).not.toThrow();
    expect(conflictOf(() => assertMayCloseEarly({ responses: 9, releasedAt: '2026-12-04T00:00:00.000Z' }, 5)).reason).toBe('feedback_released');
  });

  it('has a minimum of 5 by default that a deployment may raise but never set below 3', () => {
    expect(DEFAULT_MIN_RESPONSES).toBe(5);
    expect(minimumResponsesFrom(undefined)).toBe(5);
    expect(minimumResponsesFrom('8')).toBe(8);
    expect(minimumResponsesFrom('3')).toBe(3);
    for (const bad of ['2', '0', '-1', '4.5', 'five']) expect(() => minimumResponsesFrom(bad)).toThrow(RangeError);
  });
});

describe('the released figures', () => {
  it('tallies each rating into its distribution, sum and count; the summary gives the mean', () => {
    const tallies = tallyRatings([response(5), response(4), response(4), response(2)]);
    expect(tallies.overall).toEqual({ count: 4, sum: 15, distribution: { 1: 0, 2: 1, 3: 0, 4: 2, 5: 1 } });
    expect(ratingSummary(tallies.overall)).toEqual({ count: 4, mean: 3.75, distribution: { 1: 0, 2: 1, 3: 0, 4: 2, 5: 1 } });
    expect(ratingSummary(tallies.trainer)).toMatchObject({ count: 4, mean: 4 });
    expect(ratingSummary(tallyRatings([]).overall)).toMatchObject({ count: 0, mean: null });
  });

  it('lists answers by question, sorted, never as whole responses or in the order they came', () => {
    const answers = answersByQuestion([
      response(5, { influence: 'Үйрендім', change: 'Сенімді болдым' }),
      response(4, { influence: 'Әріптестермен бөлістім' }),
      response(3, { influence: 'Басқаша ойлай бастадым', unique: '  Топтық жұмыс  ' }),
    ]);
    expect(answers).toEqual({
      influence: ['Әріптестермен бөлістім', 'Басқаша ойлай бастадым', 'Үйрендім'],
      change: ['Сенімді болдым'],
      sustain: [],
      benefits: [],
      challenges: [],
      unique: ['Топтық жұмыс'],
    });
  });

  it('has no response rate without confirmed participants, and never more than 100 %', () => {
    expect(responseRate(0, 0)).toBeNull();
    // Someone answered and then withdrew.
    expect(responseRate(3, 2)).toBe(1);
    expect(responseRate(4, 6)).toBe(0.667);
  });
});

describe('the form', () => {
  it('has every rating and question in kk, ru and en', () => {
    for (const language of languages) {
      const form = formIn(language);
      expect(form.ratings.map((rating) => rating.id)).toEqual([...ratingIds]);
      expect(form.questions.map((question) => question.id)).toEqual([...questionIds]);
      for (const text of [form.intro, ...form.ratings.flatMap((r) => [r.label, r.minLabel, r.maxLabel]), ...form.questions.map((q) => q.text)]) {
        expect(text.trim()).not.toBe('');
      }
    }
    expect(formIn('kk').questions.find((question) => question.id === 'unique')?.text).toBe('Бұл тәсілдің ерекшелігі неде?');
    expect(formIn('ru').ratings.find((rating) => rating.id === 'recommend')?.maxLabel).toBe('5 — обязательно порекомендую');
  });

  it('refuses a config file with a question missing or a language left out', () => {
    const { unique: _removed, ...fewer } = feedbackForm.questions;
    expect(() => parseFeedbackForm({ ...feedbackForm, questions: fewer })).toThrow();
    expect(() =>
      parseFeedbackForm({ ...feedbackForm, questions: { ...feedbackForm.questions, change: { kk: 'Қалай?', ru: 'Как?' } } }),
    ).toThrow();
    expect(() => parseFeedbackForm({ ...feedbackForm, questions: { ...feedbackForm.questions, extra: feedbackForm.questions.change } })).toThrow();
  });
});

describe('the submitted form', () => {
  it('requires every rating as a whole number from 1 to 5, field by field', () => {
    // materials is fine; recommend is missing.
    const result = submitFeedbackSchema.safeParse({ ratings: { overall: 0, relevance: 3.5, trainer: '4', materials: 5 } });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((issue) => issue.path.join('.'));
    expect(paths.sort()).toEqual(['ratings.overall', 'ratings.recommend', 'ratings.relevance', 'ratings.trainer']);
    expect(result.error!.issues[0]!.message).toBe('must be a whole number from 1 to 5');
  });

  it('keeps answers optional, trims them, drops blank ones and keeps Kazakh letters composed', () => {
    const decomposed = 'Қазақ'.normalize('NFD');
    const parsed = submitFeedbackSchema.parse({
      ratings: ratings(5),
      answers: { influence: `  ${decomposed} тілінде\r\nжаздым  `, change: '   ', sustain: '' },
    });
    expect(parsed.answers).toEqual({ influence: 'Қазақ тілінде\nжаздым' });
    expect(submitFeedbackSchema.parse({ ratings: ratings(3) }).answers).toEqual({});
  });

  it('refuses unknown questions and answers longer than 5,000 characters', () => {
    const unknown = submitFeedbackSchema.safeParse({ ratings: ratings(5), answers: { favourite: 'x' } });
    expect(unknown.error?.issues[0]).toMatchObject({ path: ['answers'], message: expect.stringContaining('favourite') as unknown });
    const long = submitFeedbackSchema.safeParse({ ratings: ratings(5), answers: { benefits: 'ә'.repeat(5_001) } });
    expect(long.error?.issues[0]).toMatchObject({ path: ['answers', 'benefits'], message: 'must be at most 5,000 characters' });
    expect(submitFeedbackSchema.safeParse({ ratings: ratings(5), answers: { benefits: 'ә'.repeat(5_000) } }).success).toBe(true);
    expect(submitFeedbackSchema.safeParse({ ratings: ratings(5), email: 'me@x.kz' }).success).toBe(false);
  });
});
