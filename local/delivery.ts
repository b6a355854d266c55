/**
 * The event source mapping's delivery rules, as Lambda applies them to a DynamoDB stream mapping
 * with filter criteria, ReportBatchItemFailures, BisectBatchOnFunctionError, MaximumRetryAttempts
 * and an on-failure destination. Where checkpoints and dead letters are kept is the consumer
 * runner's business (consumer-runner.ts); this file decides what to deliver, how to read the
 * answer and when to give up on a record.
 */
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { ConsumerDefinition, FilterPattern } from '../shared/manifest';
import { matchesAny } from './event-filter';
import { lambdaContext } from './lambda-context';
import { errorMessage } from './stream-source';

/** A stream Lambda's handler; it gets a Lambda-like context, as middy and Powertools expect one. */
export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | void>;

export interface StreamConsumer {
  definition: ConsumerDefinition;
  handler: StreamHandler;
}

export type InvocationResult =
  | { kind: 'success' }
  | { kind: 'partial'; firstFailedIndex: number; failedRecords: DynamoDBRecord[]; errorMessage: string }
  | { kind: 'error'; errorMessage: string };

/** Lambda's default function timeout, for consumers whose definition leaves it out. */
const defaultTimeoutSeconds = 3;

/** One invocation with Lambda's response rules; never throws. */
export async function invokeConsumer(
  consumer: StreamConsumer,
  records: readonly DynamoDBRecord[],
  onSettled: () => void,
): Promise<InvocationResult> {
  const timeoutMs = (consumer.definition.timeoutSeconds ?? defaultTimeoutSeconds) * 1000;
  // Each invocation gets its own copy, as Lambda deserializes a fresh event every time.
  const event: DynamoDBStreamEvent = { Records: structuredClone([...records]) };
  let response: unknown;
  try {
    const { name, memoryMb } = consumer.definition;
    const context = lambdaContext({ functionName: name, timeoutSeconds: timeoutMs / 1000, memoryMb });
    response = await withTimeout(consumer.handler(event, context), timeoutMs);
  } catch (error) {
    return { kind: 'error', errorMessage: errorMessage(error) };
  } finally {
    onSettled();
  }
  return interpretResponse(response, records);
}

/**
 * The records up to and including the batchSize-th one that passes the filters. Filtered-out
 * records inside the window are handled by moving the checkpoint past them.
 */
export function nextWindow(
  filters: readonly FilterPattern[],
  batchSize: number,
  buffer: readonly DynamoDBRecord[],
): { length: number; batch: DynamoDBRecord[] } {
  const batch: DynamoDBRecord[] = [];
  for (const [index, record] of buffer.entries()) {
    // No filter criteria means every record, as for a mapping without FilterCriteria.
    if (filters.length === 0 || matchesAny(filters, record)) batch.push(record);
    if (batch.length === batchSize) return { length: index + 1, batch };
  }
  return { length: buffer.length, batch };
}

/** What delivering a window needs from the runner that keeps its checkpoints and dead letters. */
export interface DeliveryHooks {
  maxRetries: number;
  invoke(records: readonly DynamoDBRecord[]): Promise<InvocationResult>;
  /** Everything up to and including this sequence number is handled. */
  checkpoint(sequenceNumber: string): Promise<void>;
  setAside(records: DynamoDBRecord[], errorMessage: string, attempts: number): Promise<void>;
  pauseBeforeRetry(): Promise<void>;
  isStopping(): boolean;
  log(message: string): void;
}

/**
 * Delivers records in order until each one has succeeded or been set aside as a dead letter.
 * A reported item failure retries from the first failed record; a thrown error splits the batch
 * in two (splits do not use up retries, as in AWS); a record that keeps failing is retried
 * maxRetries times and then dead-lettered so the shard moves on.
 */
export async function deliverInOrder(records: DynamoDBRecord[], hooks: DeliveryHooks): Promise<'done' | 'interrupted'> {
  const { maxRetries } = hooks;
  const segments: DynamoDBRecord[][] = records.length > 0 ? [records] : [];
  let failingHead: string | undefined;
  let failures = 0;
  const countFailure = (head: string): number => {
    failures = head === failingHead ? failures + 1 : 1;
    failingHead = head;
    return failures;
  };

  while (segments.length > 0) {
    if (hooks.isStopping()) return 'interrupted';
    const segment = segments[0] ?? [];
    const result = await hooks.invoke(segment);

    if (result.kind === 'success') {
      segments.shift();
      await hooks.checkpoint(sequenceNumberOf(segment.at(-1)));
      continue;
    }

    if (result.kind === 'partial') {
      if (result.firstFailedIndex > 0) {
        await hooks.checkpoint(sequenceNumberOf(segment[result.firstFailedIndex - 1]));
      }
      const remaining = segment.slice(result.firstFailedIndex);
      const head = sequenceNumberOf(remaining[0]);
      const attempts = countFailure(head);
      if (attempts > maxRetries) {
        await hooks.setAside(result.failedRecords, result.errorMessage, attempts);
        segments.shift();
        await hooks.checkpoint(sequenceNumberOf(segment.at(-1)));
        failingHead = undefined;
        continue;
      }
      hooks.log(
        `${result.failedRecords.length} of ${segment.length} records failed, first ${head}; ` +
          `retry ${attempts} of ${maxRetries}`,
      );
      segments[0] = remaining;
      await hooks.pauseBeforeRetry();
      continue;
    }

    if (segment.length > 1) {
      const middle = Math.ceil(segment.length / 2);
      segments.splice(0, 1, segment.slice(0, middle), segment.slice(middle));
      hooks.log(`batch of ${segment.length} failed (${result.errorMessage}); splitting it in two`);
      continue;
    }
    const head = sequenceNumberOf(segment[0]);
    const attempts = countFailure(head);
    if (attempts > maxRetries) {
      await hooks.setAside(segment, result.errorMessage, attempts);
      segments.shift();
      await hooks.checkpoint(head);
      failingHead = undefined;
      continue;
    }
    hooks.log(`record ${head} failed (${result.errorMessage}); retry ${attempts} of ${maxRetries}`);
    await hooks.pauseBeforeRetry();
  }
  return 'done';
}

/** Lambda's rules for a ReportBatchItemFailures response. */
export function interpretResponse(response: unknown, records: readonly DynamoDBRecord[]): InvocationResult {
  if (typeof response !== 'object' || response === null) return { kind: 'success' };
  const failures: unknown = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) {
    return { kind: 'error', errorMessage: 'the response has a batchItemFailures that is not a list' };
  }
  if (failures.length === 0) return { kind: 'success' };
  const positions = new Map(records.map((record, index) => [sequenceNumberOf(record), index]));
  const failedIndexes = new Set<number>();
  for (const failure of failures as unknown[]) {
    const identifier: unknown =
      typeof failure === 'object' && failure !== null ? (failure as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    const index = typeof identifier === 'string' && identifier !== '' ? positions.get(identifier) : undefined;
    if (index === undefined) {
      // AWS treats an empty or unknown itemIdentifier as a failure of the whole batch.
      return { kind: 'error', errorMessage: 'batchItemFailures names an itemIdentifier that is not in the batch' };
    }
    failedIndexes.add(index);
  }
  const sorted = [...failedIndexes].sort((a, b) => a - b);
  return {
    kind: 'partial',
    // Lambda checkpoints before the lowest failed sequence number, whatever the list's order.
    firstFailedIndex: sorted[0] ?? 0,
    failedRecords: sorted.map((index) => records[index]).filter((record): record is DynamoDBRecord => !!record),
    errorMessage: `the handler reported ${sorted.length} failed records`,
  };
}

/** Completes a stream record with the fields the event source mapping adds. */
export function asDelivered(record: DynamoDBRecord, streamArn: string): DynamoDBRecord {
  return {
    ...record,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: record.eventSource ?? 'aws:dynamodb',
    awsRegion: record.awsRegion ?? 'local',
    eventSourceARN: streamArn,
  };
}


async function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Node cannot cancel the handler; it runs on, as a timed-out Lambda's leftovers would not.
      reject(new Error(`Task timed out after ${timeoutMs / 1000} seconds`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function sequenceNumberOf(record: DynamoDBRecord | undefined): string {
  return record?.dynamodb?.SequenceNumber ?? '';
}
