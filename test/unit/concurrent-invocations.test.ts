/**
 * The local runtime runs many invocations of one thread's handlers at once, in one module
 * instance (local/invocations.ts). Each must keep its own log context and its own batch
 * processor state, as separate Lambda containers would.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { asInvocation, isolateInvocations } from '../../local/invocations';
import { lambdaContext } from '../../local/lambda-context';
import { startWorkerThread } from '../../local/worker-thread';
import type { LoggingWorker } from '../support/logging-worker';
import { logger } from '../../shared/observability/logger';

beforeAll(() => {
  isolateInvocations();
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** The JSON lines Powertools writes (warnings go to stderr) while `run` runs. */
async function loggedLines(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  await run();
  vi.restoreAllMocks();
  return lines.flatMap((line) => line.split('\n')).filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A record whose handling takes `ms` and then fails or succeeds. */
function record(sequenceNumber: string, outcome: 'fails' | 'succeeds', ms: number): DynamoDBRecord {
  return {
    eventName: 'INSERT',
    dynamodb: { SequenceNumber: sequenceNumber, Keys: { pk: { S: `ITEM#${sequenceNumber}` }, sk: { S: `${outcome}:${ms}` } } },
  };
}

describe('invocations running at once in one thread (local/invocations.ts)', () => {
  it("stamps each log line with its own invocation's function and request id", async () => {
    // Both consumers share the one logger of their thread, as in functions-worker.ts.
    const consumer = asInvocation(async (event: { waitMs: number }, context: Context) => {
      logger.addContext(context);
      await delay(event.waitMs);
      logger.warn('record failed');
    });
    const workflow = lambdaContext({ functionName: 'workflow' });
    const analytics = lambdaContext({ functionName: 'analytics' });

    // The workflow's invocation starts first and logs last, after analytics set its context.
    const lines = await loggedLines(() => Promise.all([consumer({ waitMs: 40 }, workflow), consumer({ waitMs: 0 }, analytics)]));

    expect(lines.map((line) => [line.function_name, line.function_request_id]).sort()).toEqual(
      [
        ['analytics', analytics.awsRequestId],
        ['workflow', workflow.awsRequestId],
      ].sort(),
    );
  });

  it("reports each delivery's failed records in its own response, not the other's", async () => {
    // One processor per module, as functions/streams/workflow.ts has.
    const processor = new BatchProcessor(EventType.DynamoDBStreams);
    const consumer = asInvocation(async (event: DynamoDBStreamEvent, context: Context) =>
      processPartialResponse(
        event,
        async (item: DynamoDBRecord) => {
          const [outcome, ms] = (item.dynamodb?.Keys?.sk?.S ?? '').split(':');
          await delay(Number(ms));
          if (outcome === 'fails') throw new Error('refused');
        },
        processor,
        { context },
      ),
    );

    // Interleaved: 201 succeeds, 101 fails, 202 fails (the second delivery ends), 102 succeeds.
    const [first, second] = await Promise.all([
      consumer({ Records: [record('101', 'fails', 10), record('102', 'succeeds', 40)] }, lambdaContext({ functionName: 'workflow' })),
      consumer({ Records: [record('201', 'succeeds', 5), record('202', 'fails', 20)] }, lambdaContext({ functionName: 'workflow' })),
    ]);

    expect(first.batchItemFailures).toEqual([{ itemIdentifier: '101' }]);
    expect(second.batchItemFailures).toEqual([{ itemIdentifier: '202' }]);
  });

  it('lets a thread started from an isolated one log before it has a store of its own', async () => {
    // The functions' and emulators' threads start after the gateway's thread set the variable.
    const worker = await startWorkerThread<LoggingWorker>(new URL('../support/logging-worker.ts', import.meta.url), undefined, { log: () => undefined });
    try {
      await expect(worker.call('log')).resolves.toBe(true);
    } finally {
      await worker.terminate();
    }
  });
});
