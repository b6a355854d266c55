/**
 * Report figures computed from aggregate items: pure functions, no I/O.
 */
import { DAY_MS } from '../clock';
import { certificateStatus, type CertificateRecordStatus } from './certificate';
import { ACTIVE_MULTIPLIERS, regionCounters, type RegionCounter } from './aggregates';
import { feedbackMinimumResponses, meetsMinimum } from './feedback';

export interface Metrics {
  trainingsScheduled: number;
  trainingsHeld: number;
  trainingsCancelled: number;
  registrations: number;
  confirmed: number;
  completed: number;
  certificatesIssued: number;
  certificatesRevoked: number;
  activeMultipliers: number;
  teachersReached: number;
  /** Feedback responses of trainings whose results are released. */
  feedbackResponses: number;
  /** The mean overall rating; null without enough released ratings behind it (see meanRatingWithheld). */
  meanRating: number | null;
  /**
   * True when responses exist but fewer than the minimum ratings stand behind the cell: the cell
   * shows the count only, so a lone response's rating is never printed.
   */
  meanRatingWithheld: boolean;
  /** Feedback responses per confirmed participant, 0..1. */
  feedbackResponseRate: number | null;
}

type Counters = Record<string, unknown>;

type ParsedCounter =
  | { kind: 'counter'; counter: RegionCounter; level: number; topic: string; value: number }
  | { kind: 'multiplier'; level: number; topic: string; trainer: string; value: number }
  | { kind: 'activeMultipliers'; value: number };

const knownCounters: ReadonlySet<string> = new Set(regionCounters);
// A report asks for the metrics of the same items many times (totals, each level, each month):
// each item's attribute names are parsed once.
const parsedItems = new WeakMap<Counters, ParsedCounter[]>();

function countersOf(item: Counters): ParsedCounter[] {
  let parsed = parsedItems.get(item);
  if (parsed) return parsed;
  parsed = [];
  for (const [name, value] of Object.entries(item)) {
    if (typeof value !== 'number') continue;
    if (name === ACTIVE_MULTIPLIERS) {
      parsed.push({ kind: 'activeMultipliers', value });
      continue;
    }
    const parts = name.split('|');
    if (parts.length < 3) continue;
    const level = Number(parts[1]);
    const topic = parts[2]!;
    if (parts[0] === 'mult') {
      if (parts.length >= 4) parsed.push({ kind: 'multiplier', level, topic, trainer: parts.slice(3).join('|'), value });
    } else if (knownCounters.has(parts[0]!)) {
      parsed.push({ kind: 'counter', counter: parts[0] as RegionCounter, level, topic, value });
    }
  }
  parsedItems.set(item, parsed);
  return parsed;
}

/**
 * Metrics of region items (`{counter}|{level}|{topic}` attributes), optionally of one level or
 * one topic. Active multipliers are distinct trainers over every month item given, not a sum of
 * the items' counts; an all-time item carries its count (not split by level or topic).
 */
export function metricsOf(
  items: readonly Counters[],
  level?: number,
  topic?: string,
  minimumResponses: number = feedbackMinimumResponses,
): Metrics {
  const sums = Object.fromEntries(regionCounters.map((counter) => [counter, 0])) as Record<RegionCounter, number>;
  const multipliers = new Set<string>();
  // All-time items count their active multipliers instead of naming them (domain/aggregates).
  let counted = 0;
  for (const item of items) {
    for (const entry of countersOf(item)) {
      if (entry.kind === 'activeMultipliers') {
        if (level === undefined && topic === undefined) counted += entry.value;
        continue;
      }
      if (level !== undefined && entry.level !== level) continue;
      if (topic !== undefined && entry.topic !== topic) continue;
      if (entry.kind === 'multiplier') {
        if (entry.value > 0) multipliers.add(entry.trainer);
      } else {
        sums[entry.counter] += entry.value;
      }
    }
  }
  return {
    trainingsScheduled: sums.scheduled,
    trainingsHeld: sums.held,
    trainingsCancelled: sums.cancelled,
    registrations: sums.registrations,
    confirmed: sums.confirmed,
    completed: sums.completed,
    certificatesIssued: sums.issued,
    certificatesRevoked: sums.revoked,
    activeMultipliers: multipliers.size + counted,
    teachersReached: sums.issued - sums.revoked,
    feedbackResponses: sums.responses,
    meanRating: meetsMinimum(sums.ratingCount, minimumResponses) ? round(sums.ratingSum / sums.ratingCount, 2) : null,
    meanRatingWithheld: sums.responses > 0 && !meetsMinimum(sums.ratingCount, minimumResponses),
    feedbackResponseRate: sums.confirmed > 0 ? Math.min(1, round(sums.responses / sums.confirmed, 4)) : null,
  };
}

/** The topics that occur in the items' counters, in string order. */
export function topicsOf(items: readonly Counters[]): string[] {
  const topics = new Set<string>();
  for (const item of items) {
    for (const entry of countersOf(item)) if (entry.kind !== 'activeMultipliers') topics.add(entry.topic);
  }
  return [...topics].sort();
}

/** The levels that occur in the items' counters, ascending. */
export function levelsOf(items: readonly Counters[]): number[] {
  const levels = new Set<number>();
  for (const item of items) {
    for (const name of Object.keys(item)) {
      const parts = name.split('|');
      if (parts.length >= 3 && /^\d+$/.test(parts[1]!)) levels.add(Number(parts[1]));
    }
  }
  return [...levels].sort((a, b) => a - b);
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** `YYYY-MM` months from `from` to `to`, inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  const [toYear, toMonth] = to.split('-').map(Number) as [number, number];
  while (year < toYear || (year === toYear && month <= toMonth)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

/** One training in a cascade, as its aggregate node item holds it. */
export interface CascadeNode {
  trainingId: string;
  parentTrainingId: string;
  level: number;
  region: string;
  title: string;
  trainerName: string;
  trainerSub: string;
  firstStart: string;
  status: string;
  qualifyingCertificateId: string;
  qualifyingCertificateIssuedAt: string;
  held: number;
  certified: number;
  revoked: number;
}

export interface CascadeSummary {
  multipliers: number;
  trainingsHeld: number;
  reach: number;
  multiplicationFactor: number | null;
  dropOffByLevel: { level: number; certified: number; deliveredNext: number; dropOffRate: number | null }[];
  medianDaysToFirstTraining: number | null;
}


export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The figures of one cascade: multipliers are the trainers of held trainings below the root,
 * reach the people those trainings certified (revoked certificates excluded), the drop-off of a
 * level the share of its certified people who delivered no training at the next level, and the
 * days from certification to a multiplier's first training, the median over multipliers.
 */
export function cascadeSummary(nodes: readonly CascadeNode[], rootLevel: number, maxDepth: number): CascadeSummary {
  const below = nodes.filter((node) => node.level > rootLevel);
  const held = below.filter((node) => node.held > 0);
  const multipliers = new Set(held.map((node) => node.trainerSub));
  const reach = below.reduce((total, node) => total + node.certified - node.revoked, 0);
  const dropOffByLevel: CascadeSummary['dropOffByLevel'] = [];
  for (let level = rootLevel; level < maxDepth; level++) {
    const certified = nodes.filter((node) => node.level === level).reduce((total, node) => total + node.certified - node.revoked, 0);
    const deliveredNext = new Set(held.filter((node) => node.level === level + 1).map((node) => node.trainerSub)).size;
    dropOffByLevel.push({
      level,
      certified,
      deliveredNext,
      dropOffRate: certified > 0 ? round(Math.max(0, 1 - deliveredNext / certified), 4) : null,
    });
  }
  const firstTraining = new Map<string, number>();
  for (const node of held) {
    if (!node.qualifyingCertificateIssuedAt) continue;
    const days = (Date.parse(node.firstStart) - Date.parse(node.qualifyingCertificateIssuedAt)) / DAY_MS;
    const known = firstTraining.get(node.trainerSub);
    if (known === undefined || days < known) firstTraining.set(node.trainerSub, days);
  }
  const medianDays = median([...firstTraining.values()]);
  return {
    multipliers: multipliers.size,
    trainingsHeld: held.length,
    reach,
    multiplicationFactor: multipliers.size > 0 ? round(reach / multipliers.size, 2) : null,
    dropOffByLevel,
    medianDaysToFirstTraining: medianDays === null ? null : round(medianDays, 1),
  };
}

/** A past training whose qualifying certificate no longer holds keeps its history, flagged. */
export function nodeFlag(
  qualifying: { status: CertificateRecordStatus; validUntil: string } | undefined,
  now: Date,
): 'qualifying-certificate-revoked' | 'qualifying-certificate-expired' | undefined {
  if (!qualifying) return undefined;
  const status = certificateStatus(qualifying, now);
  if (status === 'revoked') return 'qualifying-certificate-revoked';
  if (status === 'expired') return 'qualifying-certificate-expired';
  return undefined;
}
