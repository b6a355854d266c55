/**
 * The feedback summary as CSV and XLSX, headed in the reader's language. The files hold exactly
 * what the summary shows everyone who may read it — counts, rating distributions and means, the
 * answers grouped by question — and never the names of those who have not answered, so a file
 * can be passed on without exposing anyone. Below the minimum number of responses they hold the
 * counts only.
 */
import { almatyDateTime } from '../locale/almaty';
import { formIn } from '../config/feedback-form';
import type { Language } from '../locale/language';

import type { FeedbackSummaryView } from '../usecases/feedback';
import { csvText, xlsxBuffer, type Cell, type Sheet } from './spreadsheet';

interface Labels {
  summarySheet: string;
  ratingsSheet: string;
  answersSheet: string;
  training: string;
  responses: string;
  confirmed: string;
  responseRate: string;
  rating: string;
  count: string;
  mean: string;
  question: string;
  answer: string;
  hidden: (minimum: number) => string;
  notReleased: (closesAt: string) => string;
  withheld: (count: number, minimum: number) => string;
}

const labels: Record<Language, Labels> = {
  kk: {
    summarySheet: 'Жиынтық',
    ratingsSheet: 'Бағалар',
    answersSheet: 'Жауаптар',
    training: 'Оқыту',
    responses: 'Жауап бергендер',
    confirmed: 'Расталған қатысушылар',
    responseRate: 'Жауап бергендердің үлесі, %',
    rating: 'Баға',
    count: 'Саны',
    mean: 'Орташа',
    question: 'Сұрақ',
    answer: 'Жауап',
    hidden: (minimum) => `Жауаптар ${minimum}-тен аз, сондықтан ешкімді анықтау мүмкін болмауы үшін мәліметтер көрсетілмейді.`,
    notReleased: (closesAt) => `Нәтижелер әлі жарияланған жоқ: олар бір рет, ең кешіктірсе ${closesAt} жарияланады. Оған дейін тек жауап бергендер саны көрінеді.`,
    withheld: (count, minimum) => `${count} жауап — ${minimum}-тен аз, сондықтан мәтіндері көрсетілмейді.`,
  },
  ru: {
    summarySheet: 'Сводка',
    ratingsSheet: 'Оценки',
    answersSheet: 'Ответы',
    training: 'Обучение',
    responses: 'Ответили',
    confirmed: 'Подтверждённые участники',
    responseRate: 'Доля ответивших, %',
    rating: 'Оценка',
    count: 'Количество',
    mean: 'Среднее',
    question: 'Вопрос',
    answer: 'Ответ',
    hidden: (minimum) => `Ответов меньше ${minimum}, поэтому подробности не показываются — чтобы никого нельзя было узнать.`,
    notReleased: (closesAt) => `Результаты ещё не опубликованы: они публикуются один раз, не позднее ${closesAt}. До этого видно только число ответивших.`,
    withheld: (count, minimum) => `${count} ответ(ов) — меньше ${minimum}, поэтому тексты не показываются.`,
  },
  en: {
    summarySheet: 'Summary',
    ratingsSheet: 'Ratings',
    answersSheet: 'Answers',
    training: 'Training',
    responses: 'Responses',
    confirmed: 'Confirmed participants',
    responseRate: 'Response rate, %',
    rating: 'Rating',
    count: 'Count',
    mean: 'Mean',
    question: 'Question',
    answer: 'Answer',
    hidden: (minimum) => `Fewer than ${minimum} responses, so details are not shown: nobody can be singled out.`,
    notReleased: (closesAt) => `The results are not released yet: they are released once, by ${closesAt} at the latest. Until then only the number of responses is shown.`,
    withheld: (count, minimum) => `${count} answer(s), fewer than ${minimum}, so their texts are not shown.`,
  },
};

const scores = ['1', '2', '3', '4', '5'] as const;

function percent(rate: number | null): Cell {
  return rate === null ? '' : Math.round(rate * 1000) / 10;
}

interface Tables {
  summary: Cell[][];
  ratings?: Cell[][];
  answers?: Cell[][];
}

function tables(summary: FeedbackSummaryView, language: Language): Tables {
  const text = labels[language];
  const counts: Cell[][] = [
    [text.training, summary.title],
    [text.responses, summary.responses],
    [text.confirmed, summary.confirmed],
    [text.responseRate, percent(summary.responseRate)],
  ];
  if (summary.hiddenReason === 'not_released') return { summary: [...counts, [text.notReleased(almatyDateTime(summary.window.closesAt, language))]] };
  if (summary.detailsHidden || !summary.ratings || !summary.answers) return { summary: [...counts, [text.hidden(summary.minimumResponses)]] };
  const form = formIn(language);
  const { ratings: released, answers: byQuestion } = summary;
  const ratings: Cell[][] = [
    [text.rating, text.count, text.mean, ...scores],
    ...form.ratings.map(({ id, label }) => {
      const rating = released[id];
      return [label, rating.count, rating.mean, ...scores.map((score) => rating.distribution[score])];
    }),
  ];
  const answers: Cell[][] = [
    [text.question, text.answer],
    ...form.questions.flatMap(({ id, text: question }): Cell[][] => {
      const page = byQuestion[id];
      return page.withheld ? [[question, text.withheld(page.total, summary.minimumResponses)]] : page.items.map((answer): Cell[] => [question, answer]);
    }),
  ];
  return { summary: counts, ratings, answers };
}

export function feedbackFileName(summary: Pick<FeedbackSummaryView, 'trainingId'>, extension: 'csv' | 'xlsx'): string {
  return `feedback-${summary.trainingId}.${extension}`;
}

/** One CSV: the counts, then (with enough responses) the ratings table and the answers, a blank row between. */
export function feedbackSummaryCsv(summary: FeedbackSummaryView, language: Language): string {
  const { summary: counts, ratings, answers } = tables(summary, language);
  const rows: Cell[][] = [...counts];
  if (ratings) rows.push([], ...ratings);
  if (answers) rows.push([], ...answers);
  return csvText(rows);
}

/** A workbook: the counts on the first sheet; the ratings and the answers on their own sheets. */
export async function feedbackSummaryXlsx(summary: FeedbackSummaryView, language: Language): Promise<Buffer> {
  const text = labels[language];
  const { summary: counts, ratings, answers } = tables(summary, language);
  const sheets: Sheet[] = [{ name: text.summarySheet, rows: counts, columnWidths: [32, 60], wrapColumns: [1] }];
  if (ratings) sheets.push({ name: text.ratingsSheet, rows: ratings, columnWidths: [48, 12, 10, 6, 6, 6, 6, 6], boldRows: [0], wrapColumns: [0] });
  if (answers) sheets.push({ name: text.answersSheet, rows: answers, columnWidths: [48, 100], boldRows: [0], wrapColumns: [0, 1] });
  return xlsxBuffer(sheets, { title: summary.title });
}
