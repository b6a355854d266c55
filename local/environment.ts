/**
 * The environment of the local functions: the same contract (shared/env.ts) and the same names
 * as a deployed function's, with the local stand-ins as values; plus what the Lambda runtime
 * itself would set (region, credentials) and the emulators' endpoints.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadOrCreateBadgeKeys } from '../shared/certificates/open-badge';
import { minimumResponsesFrom } from '../shared/domain/feedback';
import { surveyDelaysFrom } from '../shared/domain/survey';
import { assertFunctionEnvironment, type FunctionEnvironment } from '../shared/env';

export const TABLE_NAME = 'cascade-training';
export const CERTIFICATES_BUCKET = 'cascade-training-certificates';

/**
 * A key that Secrets Manager holds on AWS (the check-in codes' HMAC key, the cursor sealing key),
 * kept under the data directory so codes on a screen and cursors handed out stay valid across a
 * restart; a temporary stack gets fresh ones. Functions find it by the file:/// URL in its
 * *_SECRET_ARN variable.
 */
function localSecret(dataDirectory: string, name: 'check-in-secret' | 'cursor-secret'): string {
  const file = path.join(dataDirectory, name);
  fs.mkdirSync(dataDirectory, { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  return pathToFileURL(file).href;
}

export function localFunctionEnvironment(options: { dataDirectory: string; publicBaseUrl: string }): FunctionEnvironment {
  const { dataDirectory } = options;
  // The Open Badges signing key: made once, kept with the data, so credentials handed out keep
  // verifying across restarts.
  const badgeKeyFile = path.join(dataDirectory, 'badge-key.json');
  // What the deploy-time custom resource derives on AWS: the public half, as configuration.
  const { kty, crv, x } = loadOrCreateBadgeKeys(badgeKeyFile).publicJwk;
  const environment: FunctionEnvironment = {
    TABLE_NAME,
    CERTIFICATES_BUCKET,
    MAIL_FROM: 'Teachers as Leaders <no-reply@training.local>',
    PUBLIC_BASE_URL: options.publicBaseUrl,
    CHECK_IN_SECRET_ARN: localSecret(dataDirectory, 'check-in-secret'),
    BADGE_KEY_SECRET_ARN: pathToFileURL(badgeKeyFile).href,
    CURSOR_SECRET_ARN: localSecret(dataDirectory, 'cursor-secret'),
    ISSUER_PUBLIC_JWK: JSON.stringify({ kty, crv, x }),
    SES_CONFIGURATION_SET: 'cascade-training-local',
    // High enough for a 1,000-person cohort in seconds; the per-second counter still runs.
    MAIL_MAX_SEND_RATE: process.env.MAIL_MAX_SEND_RATE ?? '200',
    FEEDBACK_MIN_RESPONSES: String(minimumResponsesFrom(process.env.FEEDBACK_MIN_RESPONSES)),
    SURVEY_DELAYS_MONTHS: surveyDelaysFrom(process.env.SURVEY_DELAYS_MONTHS).join(','),
  };
  assertFunctionEnvironment(environment);
  return environment;
}

/** What Lambda's runtime provides and the SDK reads, pointed at the local stand-ins. */
export function localRuntimeEnvironment(urls: { dynamodb: string; s3: string; ses: string }): NodeJS.ProcessEnv {
  return {
    AWS_REGION: 'us-east-1',
    // The S3 emulator accepts only its own key pair; DynamoDB Local and the SES emulator take any.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_DYNAMODB: urls.dynamodb,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: urls.dynamodb,
    AWS_ENDPOINT_URL_S3: urls.s3,
    AWS_ENDPOINT_URL_SESV2: urls.ses,
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    POWERTOOLS_DEV: 'true',
  };
}
