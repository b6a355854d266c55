/**
 * What the follow-up survey adds to the aggregates, and the report read back from them.
 *
 * A wave's state counts once it is released, as one block (like released feedback): how many were
 * invited and answered, and — only when the release showed figures (at least the minimum answered)
 * — how many applied the training and how many colleagues they reached. A named candidate counts
 * one while opted in. Counters go to a survey month item of the training's region and month
 * (`AGG#SURVEY#{region}` / `MONTH#{YYYY-MM}`), named `{counter}|{level}|{topic}` from ids only.
 */
import { counterName, monthOf, type Contribution, type TrainingFacts } from './aggregates';
import { meetsMinimum, responseRate } from './feedback';
import { firstSessionStart } from './training';

export const surveyCounters = ['invited', 'responses', 'shown', 'applied', 'colleagues', 'candidates'] as const;
export type SurveyCounter = (typeof surveyCounters)[number];

function surveyPart(training: TrainingFacts, add: Partial<Record<SurveyCounter, number>>): Contribution {
  const month = monthOf(firstSessionStart(training));
  return [
    {
      target: { kind: 'surveyMonth', region: training.region, month },
      add: Object.fromEntries(Object.entries(add).map(([counter, value]) => [counterName(counter, training.level, training.topic), value ?? 0])),
    },
  ];
}

/** What the contribution reads of a released wave state. */
export interface ReleasedWave {
  releasedAt?: string;
  responses?: number;
  invitedAtRelease?: number;
  figuresReleased?: boolean;
  applied?: number;
  colleagues?: number;
}

export function surveyWaveContribution(state: ReleasedWave, training: TrainingFacts): Contribution {
  if (!state.releasedAt) return [];
  const responses = state.responses ?? 0;
  const shown = state.figuresReleased ? responses : 0;
  return surveyPart(training, {
    invited: state.invitedAtRelease ?? 0,
    responses,
    shown,
    applied: shown > 0 ? (state.applied ?? 0) : 0,
    colleagues: shown > 0 ? (state.colleagues ?? 0) : 0,
  });
}

export function surveyCandidateContribution(candidate: { withdrawn?: boolean }, training: TrainingFacts): Contribution {
  return surveyPart(training, { candidates: candidate.withdrawn ? 0 : 1 });
}

export interface SurveyMetrics {
  invited: number;
  responses: number;
  /** Responses per invitation, 0..1. */
  responseRate: number | null;
  /** Of the responses in released blocks that showed figures: share who applied (yes or partly). */
  applicationRate: number | null;
  /** Colleagues reached, self-reported, in blocks that showed figures. */
  colleaguesReached: number;
  /** Responses in blocks withheld as counts (fewer than the minimum answered a wave). */
  withheldResponses: number;
  candidates: number;
}

type Item = Record<string, unknown>;

interface ParsedCounter {
  counter: SurveyCounter;
  level: number;
  topic: string;
  value: number;
}

const known: ReadonlySet<string> = new Set(surveyCounters);

export function surveyCountersOf(item: Item): ParsedCounter[] {
  const parsed: ParsedCounter[] = [];
  for (const [name, value] of Object.entries(item)) {
    const parts = name.split('|');
    if (typeof value !== 'number' || parts.length !== 3 || !known.has(parts[0]!)) continue;
    parsed.push({ counter: parts[0] as SurveyCounter, level: Number(parts[1]), topic: parts[2]!, value });
  }
  return parsed;
}

/**
 * The metrics of survey month items, optionally of one level or topic. Every block behind the
 * application rate showed figures, so had at least the minimum responses; `minimum` guards a
 * cell anyway, since a cell could be one block.
 */
export function surveyMetricsOf(items: readonly Item[], filter: { level?: number; topic?: string }, minimum: number): SurveyMetrics {
  const sums = Object.fromEntries(surveyCounters.map((counter) => [counter, 0])) as Record<SurveyCounter, number>;
  for (const item of items) {
    for (const entry of surveyCountersOf(item)) {
      if (filter.level !== undefined && entry.level !== filter.level) continue;
      if (filter.topic !== undefined && entry.topic !== filter.topic) continue;
      sums[entry.counter] += entry.value;
    }
  }
  const shown = meetsMinimum(sums.shown, minimum);
  return {
    invited: sums.invited,
    responses: sums.responses,
    responseRate: responseRate(sums.responses, sums.invited),
    applicationRate: shown ? responseRate(sums.applied, sums.shown) : null,
    colleaguesReached: shown ? sums.colleagues : 0,
    withheldResponses: sums.responses - (shown ? sums.shown : 0),
    candidates: sums.candidates,
  };
}

/** The levels and topics the items hold survey figures for. */
export function surveyDimensionsOf(items: readonly Item[]): { levels: number[]; topics: string[] } {
  const levels = new Set<number>();
  const topics = new Set<string>();
  for (const item of items) {
    for (const entry of surveyCountersOf(item)) {
      levels.add(entry.level);
      topics.add(entry.topic);
    }
  }
  return { levels: [...levels].sort((a, b) => a - b), topics: [...topics].sort() };
}
