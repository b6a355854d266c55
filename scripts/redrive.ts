/**
 * `npm run redrive` — delivers dead-lettered stream records to their consumer again.
 *
 * Locally (the default): replays every dead letter of the running local stack through
 * `POST /api/local/dead-letters/{id}/replay` (`API_URL`, default http://localhost:3000;
 * `--consumer name` replays only that consumer's).
 *
 * On AWS: `npm run redrive -- --aws --consumer workflow --queue-url <its DeadLetterQueueUrl output>`
 * with the consumer function's environment (TABLE_NAME, CERTIFICATES_BUCKET, MAIL_FROM, …) and
 * credentials allowed what that function is allowed plus sqs:ReceiveMessage/DeleteMessage on
 * the queue. A failure destination message holds only the shard and the sequence range of the
 * failed batch, so the records are read back from the table's stream (kept 24 hours; the event
 * source mapping gives up after 6, which leaves 18 to replay), filtered by the consumer's manifest
 * filters and handed to the consumer's handler in this process. A message is deleted only when
 * every record of its range succeeded. Handlers are idempotent: replaying a range twice, or one the
 * sweeper already re-drove, changes nothing.
 */
import { createHash, createHmac } from 'node:crypto';
import path from 'node:path';
import { DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent, Context } from 'aws-lambda';
import { matchesAny } from '../local/event-filter';
import { lambdaContext } from '../local/lambda-context';
import { toLambdaRecord } from '../local/stream-poller';
import { consumerList, type ConsumerDefinition } from '../shared/manifest';
import { localControl } from './local-env';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const consumerName = argument('consumer');

async function redriveLocal(): Promise<number> {
  const listed = (await (await localControl('/api/local/dead-letters', 'GET')).json()) as { items: { id: string; consumer: string }[] };
  const letters = listed.items.filter((letter) => consumerName === undefined || letter.consumer === consumerName);
  let failed = 0;
  for (const letter of letters) {
    const response = await localControl(`/api/local/dead-letters/${encodeURIComponent(letter.id)}/replay`);
    const outcome = (await response.json()) as { status?: string; errorMessage?: string };
    console.log(`${letter.id} (${letter.consumer}): ${outcome.status ?? response.status}${outcome.errorMessage ? ` — ${outcome.errorMessage}` : ''}`);
    if (outcome.status !== 'delivered') failed++;
  }
  console.log(`${letters.length - failed} of ${letters.length} dead letters delivered.`);
  return failed;
}

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytesOf(data: SourceData): string | Uint8Array {
  if (typeof data === 'string') return data;
  return data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** SigV4 wants a hash class; node's crypto is all it takes. */
class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytesOf(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

/** The few SQS calls this needs, over its JSON protocol (the SQS client is not a dependency here). */
function sqsClient(queueUrl: string) {
  const url = new URL(queueUrl);
  const region = process.env.AWS_REGION ?? /sqs\.([a-z0-9-]+)\./.exec(url.hostname)?.[1] ?? 'us-east-1';
  const signer = new SignatureV4({ service: 'sqs', region, credentials: defaultProvider(), sha256: Sha256 });
  return async <T>(action: string, body: Record<string, unknown>): Promise<T> => {
    const payload = JSON.stringify({ QueueUrl: queueUrl, ...body });
    const signed = await signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      path: '/',
      headers: { host: url.hostname, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${action}` },
      body: payload,
    });
    const response = await fetch(`${url.protocol}//${url.hostname}/`, { method: 'POST', headers: signed.headers, body: payload });
    const text = await response.text();
    if (!response.ok) throw new Error(`SQS ${action} answered ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  };
}

interface FailureRecord {
  DDBStreamBatchInfo?: { streamArn: string; shardId: string; startSequenceNumber: string; endSequenceNumber: string };
}

async function recordsOfRange(streams: DynamoDBStreamsClient, range: NonNullable<FailureRecord['DDBStreamBatchInfo']>): Promise<DynamoDBRecord[]> {
  const end = BigInt(range.endSequenceNumber);
  let { ShardIterator: iterator } = await streams.send(
    new GetShardIteratorCommand({
      StreamArn: range.streamArn,
      ShardId: range.shardId,
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      SequenceNumber: range.startSequenceNumber,
    }),
  );
  const records: DynamoDBRecord[] = [];
  // An open shard answers empty pages at its tip; a handful in a row means the range is read.
  for (let emptyPages = 0; iterator && emptyPages < 5; ) {
    const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    const inRange = (page.Records ?? []).filter((record) => BigInt(record.dynamodb?.SequenceNumber ?? '0') <= end);
    records.push(...inRange.map(toLambdaRecord));
    if (inRange.length < (page.Records ?? []).length) break;
    emptyPages = (page.Records ?? []).length === 0 ? emptyPages + 1 : 0;
    iterator = page.NextShardIterator;
  }
  return records;
}

async function redriveAws(consumer: ConsumerDefinition, queueUrl: string): Promise<number> {
  const sqs = sqsClient(queueUrl);
  const streams = new DynamoDBStreamsClient({});
  const module = (await import(path.join(process.cwd(), consumer.handler))) as {
    handler: (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | void>;
  };
  let delivered = 0;
  let failed = 0;
  for (;;) {
    const { Messages = [] } = await sqs<{ Messages?: { Body: string; ReceiptHandle: string; MessageId: string }[] }>('ReceiveMessage', {
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 900,
      WaitTimeSeconds: 1,
    });
    if (Messages.length === 0) break;
    for (const message of Messages) {
      const range = (JSON.parse(message.Body) as FailureRecord).DDBStreamBatchInfo;
      if (!range) {
        console.log(`${message.MessageId}: not a stream failure record; left in the queue`);
        failed++;
        continue;
      }
      try {
        const records = (await recordsOfRange(streams, range)).filter((record) => matchesAny(consumer.filters, record));
        const response = records.length > 0 ? await module.handler({ Records: records }, lambdaContext({ functionName: consumer.name, timeoutSeconds: consumer.timeoutSeconds })) : undefined;
        const failures = response?.batchItemFailures ?? [];
        if (failures.length > 0) {
          console.log(`${message.MessageId}: ${failures.length} of ${records.length} records failed again; left in the queue`);
          failed++;
          continue;
        }
        await sqs('DeleteMessage', { ReceiptHandle: message.ReceiptHandle });
        console.log(`${message.MessageId}: ${records.length} records delivered (${range.startSequenceNumber}…${range.endSequenceNumber})`);
        delivered++;
      } catch (error) {
        const name = error instanceof Error ? error.name : 'Error';
        console.log(
          name === 'TrimmedDataAccessException'
            ? `${message.MessageId}: the stream no longer holds these records (older than 24 h); the sweeper re-drives what they would have done`
            : `${message.MessageId}: ${name}: ${error instanceof Error ? error.message : String(error)}; left in the queue`,
        );
        failed++;
      }
    }
  }
  streams.destroy();
  console.log(`${delivered} failure records delivered, ${failed} left.`);
  return failed;
}

let failures: number;
if (process.argv.includes('--aws')) {
  const consumer = consumerList.find((candidate) => candidate.name === consumerName);
  const queueUrl = argument('queue-url');
  if (!consumer || !queueUrl) {
    console.error(`Usage: npm run redrive -- --aws --consumer ${consumerList.map((c) => c.name).join('|')} --queue-url <DeadLetterQueueUrl>`);
    process.exit(2);
  }
  failures = await redriveAws(consumer, queueUrl);
} else {
  failures = await redriveLocal();
}
process.exitCode = failures > 0 ? 1 : 0;
