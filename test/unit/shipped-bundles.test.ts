import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleOutputs, functionBuildOptions, inputsOf } from '../../infra/constructs/function-bundle';
import { consumers, routes } from '../../shared/manifest';

/**
 * heavy-imports.test.ts reads our sources; this builds a few functions exactly as they ship and
 * reads the chunks: a library imported lazily in the source still costs every cold start if the
 * bundling puts it in the entry or in a chunk the entry imports statically.
 */
const heavy = ['pdfkit', 'fontkit', 'exceljs', 'csv-stringify', 'qrcode', 'jose', 'ical-generator', 'nodemailer'];

/** Each function, with the heavy libraries it loads on some path (so the test cannot pass by finding none). */
const samples = [
  { fn: consumers.workflow, lazy: ['pdfkit', 'fontkit', 'qrcode', 'ical-generator', 'nodemailer'] },
  { fn: routes.regionReport, lazy: ['exceljs', 'csv-stringify'] },
  { fn: routes.certificateCredential, lazy: ['jose'] },
];

const root = fileURLToPath(new URL('../../', import.meta.url));
const packageOf = (input: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];

const outDir = mkdtempSync(path.join(os.tmpdir(), 'shipped-bundles-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('shipped bundles', () => {
  it.each(samples)('$fn.name loads no heavy library at cold start, and has each in a lazy chunk', { timeout: 30_000 }, async ({ fn, lazy }) => {
    const { metafile } = await build(functionBuildOptions(root, path.join(root, fn.handler), path.join(outDir, fn.name)));
    const { atStart, all } = bundleOutputs(metafile);
    const packagesIn = (outputs: readonly string[]) => new Set(inputsOf(metafile, outputs).map(packageOf));

    const atStartPackages = packagesIn(atStart);
    expect(heavy.filter((name) => atStartPackages.has(name))).toEqual([]);
    const lazyPackages = packagesIn(all.filter((file) => !atStart.includes(file)));
    expect(lazy.filter((name) => !lazyPackages.has(name))).toEqual([]);
  });

  it('a route that only names a training builds none of the training schemas, and no function carries the config check', { timeout: 30_000 }, async () => {
    const fn = routes.getJournalEntry;
    const { metafile } = await build(functionBuildOptions(root, path.join(root, fn.handler), path.join(outDir, fn.name)));
    const { atStart, all } = bundleOutputs(metafile);
    const inputs = inputsOf(metafile, atStart);
    // The journal's own schemas are there (so the list is not empty for another reason)...
    expect(inputs).toContain('shared/schemas/journal.ts');
    // ...but not the training form's, which the training-id path parameter used to drag in.
    expect(inputs).not.toContain('shared/schemas/training.ts');
    // The config files are checked where code is built (shared/config/files.ts), never in a function.
    expect(inputsOf(metafile, all)).not.toContain('shared/config/files.ts');
  });
});
