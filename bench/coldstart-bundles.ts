/**
 * Builds every function of a source tree the way infra's ServiceFunction ships it (the options of
 * infra/constructs/function-bundle.ts), without synthesizing the app: a synth bundles the same
 * entries with the same options, only some minutes slower.
 *
 * The tree may be another checkout (bench:coldstart's baseline): its manifest says which
 * functions it has, and the bundles come from its own sources, node_modules and bundling code.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import type * as shippedBundling from '../infra/constructs/function-bundle';
import { bundleOutputs, entryFile, functionBuildOptions } from '../infra/constructs/function-bundle';

export interface FunctionEntry {
  name: string;
  handler: string;
}

/** Functions infra creates outside the manifest (the Cognito trigger, the deploy-time key helper). */
const infraOnlyHandlers: readonly FunctionEntry[] = [
  { name: 'postConfirmation', handler: 'functions/cognito/post-confirmation.ts' },
  { name: 'badgePublicKey', handler: 'functions/deploy/badge-public-key.ts' },
];

interface ManifestModule {
  routeList: readonly (FunctionEntry & { path: string })[];
  consumerList: readonly FunctionEntry[];
  scheduleList: readonly FunctionEntry[];
  eventRuleList?: readonly FunctionEntry[];
}

/** Every deployed function of the tree at `root` (local-only routes are never deployed). */
export async function deployedFunctions(root: string): Promise<FunctionEntry[]> {
  const manifest = (await import(pathToFileURL(path.join(root, 'shared/manifest.ts')).href)) as ManifestModule;
  const entries = [
    ...manifest.routeList.filter((route) => !route.path.startsWith('/api/local/')),
    ...manifest.consumerList,
    ...manifest.scheduleList,
    ...(manifest.eventRuleList ?? []),
  ].map(({ name, handler }) => ({ name, handler }));
  for (const entry of infraOnlyHandlers) {
    if (await exists(path.join(root, entry.handler))) entries.push(entry);
  }
  return entries;
}

export interface BuiltFunction extends FunctionEntry {
  /** The entry, index.mjs. */
  file: string;
  /** Bytes of what a cold start loads: index.mjs and the chunks it imports statically (no maps, no fonts). */
  codeBytes: number;
  /** Bytes of every code file shipped, lazy chunks included. */
  shippedBytes: number;
  metafile: Metafile;
}

/**
 * Builds a tree's functions the way that tree ships them. A tree with
 * infra/constructs/function-bundle.ts (code splitting) is built with its own copy of it; an
 * older one (one file per function, through NodejsFunction) with its own bench/coldstart-bundles.ts.
 */
export async function buildTree(root: string, outDir: string): Promise<BuiltFunction[]> {
  const entries = await deployedFunctions(root);
  if (await exists(path.join(root, 'infra/constructs/function-bundle.ts'))) {
    const bundler = (await import(moduleUrl(root, 'infra/constructs/function-bundle.ts'))) as typeof shippedBundling;
    return inBatches(entries, (entry) => buildOne(root, entry, path.join(outDir, entry.name), bundler));
  }
  const legacy = (await import(moduleUrl(root, 'bench/coldstart-bundles.ts'))) as LegacyBundles;
  const built = await legacy.buildFunctions(root, entries, outDir);
  return Promise.all(built.map(async (fn) => ({ ...fn, ...(await sizes(fn.metafile, root)) })));
}

/** What bench/coldstart-bundles.ts exported before code splitting. */
interface LegacyBundles {
  buildFunctions(root: string, entries: readonly FunctionEntry[], outDir: string): Promise<(FunctionEntry & { file: string; metafile: Metafile })[]>;
}

const moduleUrl = (root: string, file: string) => pathToFileURL(path.join(root, file)).href;

async function inBatches<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const done: R[] = [];
  // A few at a time: esbuild is parallel inside, and the machine is shared.
  for (let start = 0; start < items.length; start += 4) {
    done.push(...(await Promise.all(items.slice(start, start + 4).map(work))));
  }
  return done;
}

type Bundler = Pick<typeof shippedBundling, 'functionBuildOptions' | 'copyCertificateFonts' | 'entryFile'>;

async function buildOne(root: string, entry: FunctionEntry, dir: string, bundler: Bundler): Promise<BuiltFunction> {
  const { metafile } = await build(bundler.functionBuildOptions(root, path.join(root, entry.handler), dir));
  // infra copies the fonts only for the functions that render; copying them for all is harmless
  // (function-imports.test.ts proves only those import the renderer) and keeps this simple.
  bundler.copyCertificateFonts(root, dir);
  return { ...entry, file: path.join(dir, bundler.entryFile), metafile, ...(await sizes(metafile, root)) };
}

async function sizes(metafile: Metafile, root: string): Promise<Pick<BuiltFunction, 'codeBytes' | 'shippedBytes'>> {
  const { atStart, all } = bundleOutputs(metafile);
  const bytes = async (files: readonly string[]) => {
    const stats = await Promise.all(files.map((file) => fs.stat(path.resolve(root, file))));
    return stats.reduce((sum, stat) => sum + stat.size, 0);
  };
  return { codeBytes: await bytes(atStart), shippedBytes: await bytes(all) };
}

/** The floor: a bundle holding only the DynamoDB document client, built as functions are. */
export async function buildFloor(root: string, outDir: string): Promise<BuiltFunction> {
  const dir = path.join(outDir, 'floor');
  await fs.mkdir(dir, { recursive: true });
  const source = path.join(dir, 'floor.mjs');
  await fs.writeFile(
    source,
    [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
      'const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));',
      'export const handler = async () => client;',
      '',
    ].join('\n'),
  );
  // Resolved from the tree's node_modules, as a function's imports are.
  const { metafile } = await build({ ...functionBuildOptions(root, source, dir), nodePaths: [path.join(root, 'node_modules')] });
  return { name: 'floor (DynamoDBDocumentClient)', handler: source, file: path.join(dir, entryFile), metafile, ...(await sizes(metafile, root)) };
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

// The configuration shared modules read at import time, with harmless values.
export const importEnv: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  AWS_REGION: 'eu-central-1',
  TABLE_NAME: 'bench-table',
  CERTIFICATES_BUCKET: 'bench-certificates',
  MAIL_FROM: 'no-reply@example.kz',
  PUBLIC_BASE_URL: 'https://example.kz',
  CHECK_IN_SECRET_ARN: 'arn:aws:secretsmanager:eu-central-1:000000000000:secret:check-in',
  BADGE_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-central-1:000000000000:secret:badge-key',
  CURSOR_SECRET_ARN: 'arn:aws:secretsmanager:eu-central-1:000000000000:secret:cursor',
  ISSUER_PUBLIC_JWK: JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43) }),
  SES_CONFIGURATION_SET: 'bench',
  MAIL_MAX_SEND_RATE: '14',
  FEEDBACK_MIN_RESPONSES: '5',
  POWERTOOLS_SERVICE_NAME: 'cascade-training',
};
