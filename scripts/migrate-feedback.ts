/**
 * `npm run migrate:feedback`: moves feedback written before the release rule to it (see
 * shared/usecases/migrate-feedback.ts), then reconciles the aggregates. Reads TABLE_NAME and the
 * DynamoDB endpoint like `npm run reconcile`. Safe to run twice. Start it while the stream is quiet.
 *
 * Before reconciling it waits for the stream consumers to apply the releases it wrote: on the
 * local stack by draining its poller (`API_URL`, default http://localhost:3000); on AWS, where
 * nothing can be asked, for `STREAM_SETTLE_SECONDS` (default 120: well past the consumers'
 * batching window and a retry).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { localApiUrl, localControl, useLocalTableByDefault } from './local-env';

const onAws = process.env.AWS_ENDPOINT_URL_DYNAMODB === undefined && process.env.TABLE_NAME !== undefined;
useLocalTableByDefault();
const { migrateFeedback } = await import('../shared/usecases/migrate-feedback');

const apiUrl = localApiUrl();

async function drainLocalStreams(): Promise<boolean> {
  const response = await localControl('/api/local/streams/drain').catch(() => undefined);
  return response?.ok === true;
}

// Locally, find out before writing anything whether the stack can be drained.
if (!onAws && !(await drainLocalStreams())) {
  console.error(`Could not reach the local stack at ${apiUrl} to drain its streams. Start it with \`npm start\` (or set API_URL), then run this again; nothing was written.`);
  process.exit(1);
}

async function untilStreamApplied(): Promise<void> {
  if (onAws) {
    const seconds = Number(process.env.STREAM_SETTLE_SECONDS ?? 120);
    console.log(`Waiting ${seconds} s for the stream consumers to apply the releases before reconciling…`);
    await sleep(seconds * 1000);
    return;
  }
  if (!(await drainLocalStreams())) {
    console.error(`The local stack at ${apiUrl} stopped answering: the migration is written but not reconciled. Run \`npm run reconcile\` once it is back.`);
    process.exit(1);
  }
}

const report = await migrateFeedback({ untilStreamApplied });
console.log(
  `${report.marksWritten} "answered" marks written, ${report.statesWritten} feedback states written, ${report.released} trainings released, ` +
    `${report.responseMarkersDeleted} per-response markers deleted; reconcile: ${report.reconcile.driftItems} aggregate items repaired.`,
);
