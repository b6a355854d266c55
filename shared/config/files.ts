/**
 * The configuration files a centre edits (config/*.json) are bundled into the functions as they
 * are, and checked here where the code is built rather than at every cold start: CDK synth
 * bundles every function through infra/constructs/function-bundle.ts, which runs this check first,
 * the local runtime runs it before it starts, and so do the unit tests. Parsing the four files at
 * import cost each function's cold start a few milliseconds for an answer that cannot change
 * between two deployments (README, Cold start).
 *
 * A file passes only if its schema accepts it and returns it unchanged: the functions read the raw
 * file, so a text with spaces around it, which the schema would trim, or a key the schema would
 * drop, fails here instead of reaching a page.
 */
import { isDeepStrictEqual } from 'node:util';
import feedbackFormFile from '../../config/feedback-form.json' with { type: 'json' };
import followUpSurveyFile from '../../config/follow-up-survey.json' with { type: 'json' };
import regionsFile from '../../config/regions.json' with { type: 'json' };
import topicsFile from '../../config/topics.json' with { type: 'json' };
import { parseFeedbackForm } from './feedback-form';
import { parseSurveyConfig } from './follow-up-survey';
import { parseRegionsFile } from './regions';
import { parseTopicsFile } from './topics';

export interface ConfigFile {
  path: string;
  content: unknown;
  parse(value: unknown): unknown;
}

export const bundledConfigFiles: readonly ConfigFile[] = [
  { path: 'config/regions.json', content: regionsFile, parse: parseRegionsFile },
  { path: 'config/topics.json', content: topicsFile, parse: parseTopicsFile },
  { path: 'config/feedback-form.json', content: feedbackFormFile, parse: parseFeedbackForm },
  { path: 'config/follow-up-survey.json', content: followUpSurveyFile, parse: parseSurveyConfig },
];

export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
}

interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

const hasIssues = (error: unknown): error is { issues: readonly Issue[] } =>
  typeof error === 'object' && error !== null && Array.isArray((error as { issues?: unknown }).issues);

/** A schema's failure as one line per issue, each with where in the file it is: `regions.0.kind: …`. */
function describeFailure(error: unknown): string {
  if (hasIssues(error)) return error.issues.map((issue) => `${issue.path.map(String).join('.') || '(the whole file)'}: ${issue.message}`).join('; ');
  return error instanceof Error ? error.message : String(error);
}

function problemOf(file: ConfigFile): string | undefined {
  let parsed: unknown;
  try {
    parsed = file.parse(file.content);
  } catch (error) {
    return describeFailure(error);
  }
  if (!isDeepStrictEqual(parsed, file.content)) {
    return 'holds a value its schema would change (a text with spaces around it, or a key nothing reads); write it as the schema returns it';
  }
  return undefined;
}

/** Throws one error naming every file that is wrong, and how, so a centre fixes them in one pass. */
export function checkConfigFiles(files: readonly ConfigFile[] = bundledConfigFiles): void {
  const problems = files.flatMap((file) => {
    const problem = problemOf(file);
    return problem === undefined ? [] : [`${file.path}: ${problem}`];
  });
  if (problems.length > 0) {
    throw new ConfigFileError(`Fix these configuration files, then build again:\n${problems.join('\n')}`);
  }
}
