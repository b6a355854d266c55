/**
 * Builds every function of a source tree the way infra's ServiceFunction has CDK's NodejsFunction
 * run esbuild (the same options, read from `shippedBundling`), without synthesizing the app:
 * a synth bundles the same entries with the same flags, only some minutes slower.
 *
 * The tree may be another checkout (bench:coldstart's baseline): its manifest says which
 * functions it has, and the bundles come from its own sources and node_modules.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { certificateFontsDir, shippedBundling } from '../infra/constructs/service-function';

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

/** esbuild's options for one function, as aws-lambda-nodejs turns `shippedBundling` into flags. */
export function shippedBuildOptions(entryPoint: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entryPoint],
    outfile,
    bundle: true,
    platform: 'node',
    format: shippedBundling.format,
    target: shippedBundling.target,
    mainFields: shippedBundling.mainFields,
    minify: shippedBundling.minify,
    sourcemap: shippedBundling.sourceMap,
    sourcesContent: shippedBundling.sourcesContent,
    // bundleAwsSDK: true leaves CDK's externals empty: the SDK is bundled like everything else.
    external: [],
    banner: { js: shippedBundling.banner },
    metafile: true,
    logLevel: 'error',
  };
}

export interface BuiltFunction extends FunctionEntry {
  file: string;
  /** Bytes of index.mjs: code only, without the source map and the fonts. */
  codeBytes: number;
  metafile: Metafile;
}

/** Bundles each entry of `root` into `outDir/<name>/index.mjs`, with the fonts beside it. */
export async function buildFunctions(root: string, entries: readonly FunctionEntry[], outDir: string): Promise<BuiltFunction[]> {
  const built: BuiltFunction[] = [];
  // A few at a time: esbuild is parallel inside, and the machine is shared.
  for (let start = 0; start < entries.length; start += 4) {
    const batch = entries.slice(start, start + 4);
    built.push(...(await Promise.all(batch.map((entry) => buildOne(root, entry, outDir)))));
  }
  return built;
}

async function buildOne(root: string, entry: FunctionEntry, outDir: string): Promise<BuiltFunction> {
  const dir = path.join(outDir, entry.name);
  const file = path.join(dir, 'index.mjs');
  const result = await build({ ...shippedBuildOptions(path.join(root, entry.handler), file), absWorkingDir: root });
  // CDK's afterBundling hook copies the fonts for the functions that render; copying them for
  // all is harmless (the bundle test proves only those import the renderer) and keeps this simple.
  await fs.cp(path.join(root, certificateFontsDir), path.join(dir, 'fonts'), {
    recursive: true,
    filter: (source) => !source.includes('.') || source.endsWith('.ttf'),
  });
  const { size } = await fs.stat(file);
  return { ...entry, file, codeBytes: size, metafile: result.metafile! };
}

/** The floor: a bundle holding only the DynamoDB document client, built the same way. */
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
  const file = path.join(dir, 'index.mjs');
  // Resolved from the tree's node_modules, as a function's imports are.
  const result = await build({ ...shippedBuildOptions(source, file), absWorkingDir: root, nodePaths: [path.join(root, 'node_modules')] });
  const { size } = await fs.stat(file);
  return { name: 'floor (DynamoDBDocumentClient)', handler: source, file, codeBytes: size, metafile: result.metafile! };
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
