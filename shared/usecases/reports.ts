/**
 * Reports for the national centre and the regional coordinators, read from aggregate items only:
 * no Scan, a bounded number of items per request, lists paged.
 */
import { coordinatesRegion, hasRole, type Principal } from '../auth/principal';
import { clock } from '../clock';
import { regions as allRegions, findRegion } from '../config/regions';
import { monthOf } from '../domain/aggregates';
import { cascadeMaxDepth } from '../domain/cascade';
import {
  cascadeSummary,
  levelsOf,
  metricsOf,
  monthsBetween,
  nodeFlag,
  topicsOf,
  type CascadeNode,
  type CascadeSummary,
  type Metrics,
} from '../domain/reports';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { MAX_REPORT_MONTHS } from '../schemas/reports';
import { allCascadeNodes, cascadeNodes, multipliersOfRegion, regionMonths, regionTotals } from '../store/aggregates';
import { titleIn } from '../locale/title';
import { aggregateKeys } from '../store/keys';
import { certificatesByIds } from '../store/cascade';
import { findTraining } from '../store/trainings';
import { listTopics } from './topics';

export type LocalizedName = { kk: string; ru: string; en: string };

function forbiddenRegion(): ForbiddenError {
  return new ForbiddenError('Coordinators see the reports of their own region only. Ask an administrator for other regions.');
}

export function assertMayReadRegion(principal: Principal, region: string): void {
  if (hasRole(principal, 'admins') || coordinatesRegion(principal, region)) return;
  throw forbiddenRegion();
}

/** The regions a principal may read: admins all, a coordinator their own. */
export function readableRegions(principal: Principal): string[] {
  if (hasRole(principal, 'admins')) return allRegions.map((region) => region.id);
  if (hasRole(principal, 'coordinators') && principal.region && findRegion(principal.region)) return [principal.region];
  throw forbiddenRegion();
}

export interface RegionsReport {
  items: { region: string; name: LocalizedName; metrics: Metrics }[];
}

export async function regionsReport(principal: Principal): Promise<RegionsReport> {
  const ids = readableRegions(principal);
  const totals = await regionTotals(ids);
  return {
    items: ids.map((id) => ({ region: id, name: findRegion(id)!.name, metrics: metricsOf(totals.has(id) ? [totals.get(id)!] : []) })),
  };
}

export interface RegionReport {
  region: string;
  from: string;
  to: string;
  totals: Metrics;
  byLevel: { level: number; metrics: Metrics }[];
  /** Each topic the months hold figures for, with its names from the vocabulary. */
  byTopic: { topic: string; name: { kk: string; ru: string; en: string }; metrics: Metrics }[];
  byMonth: { month: string; metrics: Metrics }[];
}

function shiftMonth(month: string, by: number): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (number - 1) + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** A report's months. Defaults: the twelve months up to the current one (in Kazakhstan). */
export function reportMonths(range: { from?: string; to?: string }): { from: string; to: string; months: string[] } {
  const to = range.to ?? (range.from ? shiftMonth(range.from, 11) : monthOf(clock.now().toISOString()));
  const from = range.from ?? shiftMonth(to, -11);
  const months = monthsBetween(from, to);
  if (months.length === 0 || months.length > MAX_REPORT_MONTHS) {
    throw new ValidationError(`A report covers 1 to ${MAX_REPORT_MONTHS} months. Choose a shorter range.`, {
      'query.from': [`must be at most ${MAX_REPORT_MONTHS} months before to`],
    });
  }
  return { from, to, months };
}

export async function regionReport(principal: Principal, region: string, range: { from?: string; to?: string }): Promise<RegionReport> {
  assertMayReadRegion(principal, region);
  const { from, to, months } = reportMonths(range);
  const [items, topics] = await Promise.all([regionMonths(region, from, to), listTopics()]);
  const topicNames = new Map(topics.map((topic) => [topic.id, topic.name]));
  const byMonthItem = new Map(items.map((item) => [aggregateKeys.monthOfSortKey(item.sk as string), item]));
  const levels = [...new Set([...Array.from({ length: cascadeMaxDepth + 1 }, (_, level) => level), ...levelsOf(items)])].sort((a, b) => a - b);
  return {
    region,
    from,
    to,
    totals: metricsOf(items),
    byLevel: levels.map((level) => ({ level, metrics: metricsOf(items, level) })),
    byTopic: topicsOf(items).map((topic) => ({
      topic,
      // Every counted topic is in the vocabulary (topics are never deleted); the id is the fallback.
      name: topicNames.get(topic) ?? { kk: topic, ru: topic, en: topic },
      metrics: metricsOf(items, undefined, topic),
    })),
    byMonth: months.map((month) => ({ month, metrics: metricsOf(byMonthItem.has(month) ? [byMonthItem.get(month)!] : []) })),
  };
}

export interface CascadeReportNode {
  trainingId: string;
  parentTrainingId: string | null;
  level: number;
  region: string;
  title: string;
  trainerName: string;
  certified: number;
  flagged?: 'qualifying-certificate-revoked' | 'qualifying-certificate-expired';
}

export interface CascadeReport {
  root: { trainingId: string; title: string; region: string; level: number; trainerName: string };
  summary: CascadeSummary;
  nodes: CascadeReportNode[];
  nextCursor?: string;
}

function textOf(item: Record<string, unknown>, name: string, fallback = ''): string {
  const value = item[name];
  return typeof value === 'string' ? value : fallback;
}

function countOf(item: Record<string, unknown>, name: string): number {
  const value = item[name];
  return typeof value === 'number' ? value : 0;
}

function nodeOf(item: Record<string, unknown>): CascadeNode {
  const text = (name: string) => textOf(item, name);
  const count = (name: string) => countOf(item, name);
  return {
    trainingId: text('trainingId'),
    parentTrainingId: text('parentTrainingId'),
    level: count('level'),
    region: text('region'),
    title: text('title'),
    trainerName: text('trainerName'),
    trainerSub: text('trainerSub'),
    firstStart: text('firstStart'),
    status: text('status'),
    qualifyingCertificateId: text('qualifyingCertificateId'),
    qualifyingCertificateIssuedAt: text('qualifyingCertificateIssuedAt'),
    held: count('held'),
    certified: count('certified'),
    revoked: count('revoked'),
  };
}

/**
 * A national training's cascade: the summary over the whole tree, and its trainings level by
 * level to `depth` levels below the root, paged. Coordinators see the trainings of their region.
 */
export async function cascadeReport(
  principal: Principal,
  trainingId: string,
  query: { depth?: number; limit: number; cursor?: string },
): Promise<CascadeReport> {
  const isAdmin = hasRole(principal, 'admins');
  if (!isAdmin && !(hasRole(principal, 'coordinators') && principal.region)) throw forbiddenRegion();
  const stored = await findTraining(trainingId);
  if (!stored || stored.training.status === 'draft') {
    throw new NotFoundError('No published training has this id. Check the id of the national training.');
  }
  const root = stored.training;
  if (root.level !== 0 || !root.cascadeRootId) {
    throw new ConflictError(
      `This is a level-${root.level} training; a cascade report starts at the national (level-0) training${root.cascadeRootId ? ` ${root.cascadeRootId}` : ''}.`,
      'not_a_cascade_root',
      undefined,
      root.cascadeRootId ? { cascadeRootId: root.cascadeRootId } : undefined,
    );
  }
  const maxLevel = Math.min(cascadeMaxDepth, root.level + (query.depth ?? cascadeMaxDepth));
  const [page, everyNode] = await Promise.all([
    cascadeNodes(root.id, maxLevel, {
      limit: query.limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
      ...(isAdmin ? {} : { region: principal.region! }),
    }),
    allCascadeNodes(root.id),
  ]);
  const nodes = page.items.map(nodeOf);
  const qualifying = await certificatesByIds(nodes.map((node) => node.qualifyingCertificateId).filter(Boolean));
  const now = clock.now();
  return {
    root: {
      trainingId: root.id,
      title: titleIn(root.title, 'kk'),
      region: root.region,
      level: root.level,
      trainerName: root.trainer.name,
    },
    summary: cascadeSummary(everyNode.map(nodeOf), root.level, cascadeMaxDepth),
    nodes: nodes.map((node) => {
      const flagged = nodeFlag(qualifying.get(node.qualifyingCertificateId), now);
      return {
        trainingId: node.trainingId,
        parentTrainingId: node.parentTrainingId || null,
        level: node.level,
        region: node.region,
        title: node.title,
        trainerName: node.trainerName,
        certified: node.certified - node.revoked,
        ...(flagged ? { flagged } : {}),
      };
    }),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}

export interface MultipliersReport {
  items: { trainerSub: string; name: string; region: string; certificateNumber: string; trainingsHeld: number; reach: number }[];
  nextCursor?: string;
}

export async function multipliersReport(
  principal: Principal,
  query: { region?: string; limit: number; cursor?: string },
): Promise<MultipliersReport> {
  const region = query.region ?? (hasRole(principal, 'admins') ? undefined : principal.region);
  if (!region) {
    throw new ValidationError('Choose the region whose multipliers to list.', { 'query.region': ['is required'] });
  }
  assertMayReadRegion(principal, region);
  const page = await multipliersOfRegion(region, query);
  return {
    items: page.items.map((item) => ({
      trainerSub: textOf(item, 'trainerSub'),
      name: textOf(item, 'name'),
      region: textOf(item, 'region', region),
      certificateNumber: textOf(item, 'certificateNumber'),
      trainingsHeld: countOf(item, 'trainingsHeld'),
      reach: countOf(item, 'reach'),
    })),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}
