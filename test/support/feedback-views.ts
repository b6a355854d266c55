/**
 * Feedback summaries as the use case builds them after release, from plain responses: for the
 * unit tests of the files, which need a view without a table behind it.
 */
import { questionIds, ratingIds } from '../../shared/config/feedback-form';
import { answersByQuestion, ratingSummary, responseRate, tallyRatings } from '../../shared/domain/feedback';
import type { FeedbackResponse } from '../../shared/schemas/feedback';
import type { FeedbackSummaryView } from '../../shared/usecases/feedback';

export interface ViewOptions {
  title?: string;
  confirmed?: number;
  minimum?: number;
  /** False for the view before release: counts only. */
  released?: boolean;
}

export function summaryView(list: readonly FeedbackResponse[], options: ViewOptions = {}): FeedbackSummaryView {
  const { title = 'Көшбасшылық және өзгеріс', confirmed = 8, minimum = 3, released = true } = options;
  const base = {
    trainingId: 'tr-1',
    title,
    language: 'kk' as const,
    window: { opensAt: '2026-12-03T04:00:00.000Z', closesAt: '2027-01-02T07:00:00.000Z' },
    responses: list.length,
    confirmed,
    responseRate: responseRate(list.length, confirmed),
    minimumResponses: minimum,
    releasedAt: released ? '2026-12-20T00:00:00.000Z' : null,
    releaseReason: released ? ('closed_early' as const) : null,
    canCloseEarly: false,
  };
  if (!released) return { ...base, detailsHidden: true, hiddenReason: 'not_released' };
  if (list.length < minimum) return { ...base, detailsHidden: true, hiddenReason: 'below_minimum' };
  const tallies = tallyRatings(list);
  const byQuestion = answersByQuestion(list);
  return {
    ...base,
    detailsHidden: false,
    hiddenReason: null,
    ratings: Object.fromEntries(ratingIds.map((id) => [id, ratingSummary(tallies[id])])) as NonNullable<FeedbackSummaryView['ratings']>,
    answers: Object.fromEntries(
      questionIds.map((id) => {
        const withheld = byQuestion[id].length > 0 && byQuestion[id].length < minimum;
        return [id, { total: byQuestion[id].length, withheld, items: withheld ? [] : byQuestion[id] }];
      }),
    ) as NonNullable<FeedbackSummaryView['answers']>,
  };
}
