import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { consumerList, eventRuleList, routeList, scheduleList } from '../../shared/manifest';
import { sourceGraph } from '../support/bundle-graph';

/**
 * Libraries that cost a cold start tens to hundreds of milliseconds to evaluate. A function loads
 * one with `await import()` where the work needs it (a PDF, a spreadsheet, a signature, an
 * email), so the requests and records that need none never pay for it.
 */
const heavyPackages = ['pdfkit', 'fontkit', 'exceljs', 'csv-parse', 'csv-stringify', 'qrcode', 'jose', 'nodemailer', 'ical-generator'] as const;
type HeavyPackage = (typeof heavyPackages)[number];

/**
 * The only static imports of a heavy library allowed, each with why every invocation needs it.
 * A new entry here must say which path makes it unavoidable.
 */
const staticAllowed: Readonly<Record<string, readonly HeavyPackage[]>> = {
  // Every ZIP of a training's certificates carries its manifest.csv (shared/usecases/certificates-zip.ts).
  certificatesZip: ['csv-stringify'],
};

/**
 * The packages an entry reaches: through static imports only, what evaluates before the handler's
 * first line runs; with dynamic imports too, everything it may ever load.
 */
function reachedPackages(metafile: Metafile, entry: string, followDynamic: boolean): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>([entry]);
  const queue = [entry];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    for (const imported of metafile.inputs[file]?.imports ?? []) {
      if (imported.kind === 'dynamic-import' && !followDynamic) continue;
      if (imported.external) {
        packages.add(packageName(imported.path));
      } else if (!seen.has(imported.path)) {
        seen.add(imported.path);
        queue.push(imported.path);
      }
    }
  }
  return packages;
}

/** `@scope/name/deep` → `@scope/name`; `name/deep` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

describe('heavy libraries', () => {
  const entries = [...routeList, ...consumerList, ...scheduleList, ...eventRuleList];

  it('are imported statically only where every invocation needs them', { timeout: 60_000 }, async () => {
    const offences: string[] = [];
    const everReached = new Set<string>();
    for (const entry of entries) {
      const metafile = await sourceGraph(entry.handler);
      const atStart = reachedPackages(metafile, entry.handler, false);
      for (const name of heavyPackages) {
        if (atStart.has(name) && !(staticAllowed[entry.name] ?? []).includes(name)) offences.push(`${entry.name} → ${name}`);
      }
      for (const name of reachedPackages(metafile, entry.handler, true)) everReached.add(name);
    }
    expect(offences, 'load these with await import() where they are used').toEqual([]);
    // Were the graph misread, nothing would be found and the check above would pass vacuously.
    expect([...everReached]).toEqual(expect.arrayContaining([...heavyPackages]));
  });
});
