/**
 * The functions' environment, defined once: every variable a function reads, with its form.
 * infra/stack.ts builds each function's environment as a `FunctionEnvironment`, and the
 * local runtime builds its functions' environment as one too (local/environment.ts), so both set
 * exactly these names (test/infra/function-env.test.ts proves it). Functions read them only
 * through `requiredEnv` and `optionalEnv`, which fail at cold start with the variable's name and
 * what is wrong with it, not later with an undefined table name.
 */
import * as z from './schemas/zod';

const text = () => z.string().check(z.minLength(1, 'must not be empty'));

/** An ARN of Secrets Manager on AWS; locally a file: URL to the stand-in the local runtime keeps. */
const secretReference = () =>
  z.string().check(z.regex(/^(arn:aws[\w-]*:secretsmanager:|file:\/\/\/)/, 'must be a Secrets Manager ARN (or, locally, a file:/// URL)'));

const wholeNumber = (message: string) => z.string().check(z.regex(/^\d+$/, message));

/*
 * Each variable's schema is built when that variable is first read: a function reads a handful of
 * the names, and building the whole contract at import was a quarter of the schemas a route built
 * at cold start (README, Cold start).
 */

/**
 * What every deployment sets, for every function: they are not secrets (a secret is named by its
 * ARN), shared modules read them at import time, and IAM, not the absence of a variable, is what
 * limits access. `z.optional` marks those a module has a default for, so a unit test that loads
 * a module need not set them; a deployment still sets them all.
 */
const functionVariables = {
  TABLE_NAME: text,
  CERTIFICATES_BUCKET: text,
  /** The From address of platform mail. */
  MAIL_FROM: text,
  /** The web app's origin: the base of links in mail and certificates. */
  PUBLIC_BASE_URL: () => z.optional(z.url({ error: 'must be an absolute URL such as https://training.example.kz' })),
  CHECK_IN_SECRET_ARN: () => z.optional(secretReference()),
  BADGE_KEY_SECRET_ARN: () => z.optional(secretReference()),
  CURSOR_SECRET_ARN: () => z.optional(secretReference()),
  /** The badge key's public half, as a JWK: public by nature, so no function needs the secret to show it. */
  ISSUER_PUBLIC_JWK: text,
  SES_CONFIGURATION_SET: () => z.optional(text()),
  MAIL_MAX_SEND_RATE: () => z.optional(z.string().check(z.regex(/^[1-9]\d*$/, 'must be a whole number of emails per second (at least 1)'))),
  /** Checked against the anonymity floor by shared/domain/feedback.ts minimumResponsesFrom. */
  FEEDBACK_MIN_RESPONSES: () => z.optional(wholeNumber('must be a whole number')),
  /** When follow-up surveys go out, in months after the certificate; checked by shared/domain/survey.ts. */
  SURVEY_DELAYS_MONTHS: () => z.optional(z.string().check(z.regex(/^\d+(,\d+)*$/, 'must be a comma list of months such as 3,6,12'))),
};

/**
 * Variables a deployment may add and the local runtime or unit tests set; no deployment sets
 * them by default. The three key values stand in for their *_SECRET_ARN in unit tests.
 */
const optionalVariables = {
  CASCADE_MAX_DEPTH: () => z.optional(wholeNumber('must be a whole number')),
  SWEEP_AFTER_MINUTES: () => z.optional(wholeNumber('must be a whole number of minutes')),
  CHECK_IN_SECRET: () => z.optional(text()),
  CURSOR_SECRET: () => z.optional(text()),
  BADGE_KEY_FILE: () => z.optional(text()),
  /** Set only by the local runtime: S3 emulators need path-style addresses. */
  AWS_ENDPOINT_URL_S3: () => z.optional(text()),
};

type SchemaOf<Variables> = { [Name in keyof Variables]: Variables[Name] extends () => infer Schema ? Schema : never };

/** What a deployment hands every function: each variable of the contract, as text. */
export type FunctionEnvironment = { [Name in keyof typeof functionVariables]: NonNullable<z.input<SchemaOf<typeof functionVariables>[Name]>> };
export type FunctionEnvName = keyof FunctionEnvironment;
export type EnvName = FunctionEnvName | keyof typeof optionalVariables;

export const functionEnvNames = Object.keys(functionVariables) as FunctionEnvName[];

const built = new Map<EnvName, z.ZodMiniType<string | undefined>>();

function schemaOf(name: EnvName): z.ZodMiniType<string | undefined> {
  let schema = built.get(name);
  if (!schema) {
    schema = name in functionVariables ? functionVariables[name as FunctionEnvName]() : optionalVariables[name as Exclude<EnvName, FunctionEnvName>]();
    built.set(name, schema);
  }
  return schema;
}

function read(name: EnvName): string | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  const parsed = schemaOf(name).safeParse(value);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((issue) => issue.message).join('; ');
    throw new Error(`Environment variable ${name} ${reason}, not "${value}"; the deployment sets it (shared/env.ts).`);
  }
  return parsed.data;
}

/** Fails fast at cold start when a function is deployed without the configuration it needs. */
export function requiredEnv(name: EnvName): string {
  const value = read(name);
  if (value === undefined) {
    throw new Error(`Environment variable ${name} is not set; the deployment must provide it (shared/env.ts).`);
  }
  return value;
}

/** Undefined when unset; a value of the wrong form fails as `requiredEnv` does. */
export function optionalEnv(name: EnvName): string | undefined {
  return read(name);
}

/** The whole contract checked at once: the local runtime's environment before any function loads. */
export function assertFunctionEnvironment(environment: FunctionEnvironment): void {
  const contract = z.required(z.object(Object.fromEntries(functionEnvNames.map((name) => [name, schemaOf(name)]))));
  const parsed = contract.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ');
    throw new Error(`The functions' environment does not fit shared/env.ts: ${problems}.`);
  }
}
