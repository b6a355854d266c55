/**
 * What coordinators learn of journals: counts, never a title or a text. Entries written about the
 * region's trainings per month, and the share of the region's confirmed participants (all time)
 * who keep a journal about its trainings (distinct authors).
 */
import type { Principal } from '../auth/principal';
import { metricsOf } from '../domain/reports';
import { regionTotals } from '../store/aggregates';
import { journalCounts } from '../store/journal';
import { assertMayReadRegion, reportMonths } from './reports';

export interface JournalSummary {
  region: string;
  from: string;
  to: string;
  entriesByMonth: { month: string; entries: number }[];
  /** People who wrote at least one entry about a training of the region, ever. */
  keepers: number;
  /** keepers / the region's confirmed participants, all time; null without participants. */
  keepingShare: number | null;
}

/** Admins every region; a coordinator their own, else 403. */
export async function journalSummary(principal: Principal, region: string, range: { from?: string; to?: string }): Promise<JournalSummary> {
  assertMayReadRegion(principal, region);
  const { from, to, months } = reportMonths(range);
  const [counts, totals] = await Promise.all([journalCounts(region, months[0]!, months.at(-1)!), regionTotals([region])]);
  const total = totals.get(region);
  const confirmed = metricsOf(total ? [total] : []).confirmed;
  return {
    region,
    from,
    to,
    entriesByMonth: months.map((month) => ({ month, entries: counts.byMonth.get(month) ?? 0 })),
    keepers: counts.keepers,
    keepingShare: confirmed > 0 ? Math.min(1, Math.round((counts.keepers / confirmed) * 10_000) / 10_000) : null,
  };
}
