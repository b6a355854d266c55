import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SESv2Client, SendEmailCommand, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as SendRate from '../../shared/mail/send-rate';
import type * as SendRateStore from '../../shared/store/send-rate';
import type * as MailClient from '../../shared/mail/client';
import { tableShape } from '../../shared/store/table';

process.env.TABLE_NAME = 'unit-table';
process.env.MAIL_FROM = 'no-reply@training.local';
process.env.MAIL_MAX_SEND_RATE = '1000';
const documentMock = mockClient(DynamoDBDocumentClient);
const sesMock = mockClient(SESv2Client);

let rate: typeof SendRate;
let takeSendSlot: typeof SendRateStore.takeSendSlot;
let sendEmail: typeof MailClient.sendEmail;

beforeAll(async () => {
  rate = await import('../../shared/mail/send-rate');
  ({ takeSendSlot } = await import('../../shared/store/send-rate'));
  ({ sendEmail } = await import('../../shared/mail/client'));
});

beforeEach(() => {
  documentMock.reset();
  sesMock.reset();
});

/**
 * A virtual clock: sleepers wake in the order of their wake-up times, and time jumps to each
 * one's, so a test of many seconds runs in milliseconds.
 */
function virtualPacing(random = () => 0.5) {
  let now = 1_700_000_000_000;
  const sleeps: number[] = [];
  const sleepers: { wakeAt: number; wake: () => void }[] = [];
  let flushing = false;
  const flush = () => {
    if (flushing) return;
    flushing = true;
    setImmediate(() => {
      flushing = false;
      sleepers.sort((a, b) => a.wakeAt - b.wakeAt);
      const next = sleepers.shift();
      if (!next) return;
      now = Math.max(now, next.wakeAt);
      next.wake();
      if (sleepers.length > 0) flush();
    });
  };
  return {
    sleeps,
    pacing: {
      now: () => now,
      sleep: (ms: number) =>
        new Promise<void>((resolve) => {
          sleeps.push(ms);
          sleepers.push({ wakeAt: now + ms, wake: resolve });
          flush();
        }),
      random,
    },
  };
}

function throttled(): TooManyRequestsException {
  return new TooManyRequestsException({ message: 'Maximum sending rate exceeded.', $metadata: { httpStatusCode: 429 } });
}

describe('the per-second window counter', () => {
  it('takes a slot with one conditional ADD on the second\'s item', async () => {
    documentMock.on(UpdateCommand).resolves({});
    expect(await takeSendSlot(1_700_000_000, 14)).toBe(true);
    expect(documentMock).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: 'SENDRATE#1700000000', sk: 'SENDRATE' },
      UpdateExpression: 'ADD sent :one SET #type = :type, #ttl = :expiresAt',
      ConditionExpression: 'attribute_not_exists(sent) OR sent < :max',
      ExpressionAttributeNames: { '#type': 'type', '#ttl': 'expiresAt' },
      ExpressionAttributeValues: { ':one': 1, ':max': 14, ':type': 'SendRateWindow', ':expiresAt': 1_700_003_600 },
    });
  });

  it('stamps the window with the attribute the table\'s TTL names, in epoch seconds, so DynamoDB deletes it', async () => {
    documentMock.on(UpdateCommand).resolves({});
    const second = Math.floor(Date.now() / 1000);
    await takeSendSlot(second, 14);
    const input = documentMock.commandCalls(UpdateCommand)[0]!.args[0].input;
    const ttlName = Object.entries(input.ExpressionAttributeNames ?? {}).find(([, name]) => name === tableShape.timeToLiveAttribute)?.[0];
    expect(ttlName, 'the update sets the TTL attribute').toBeDefined();
    const placeholder = new RegExp(`${ttlName} = (:\\w+)`).exec(input.UpdateExpression ?? '')?.[1];
    const expiresAt = input.ExpressionAttributeValues?.[placeholder!] as number;
    // Seconds, not milliseconds (TTL ignores a value in the far future) and not in the past.
    expect(Number.isInteger(expiresAt)).toBe(true);
    expect(expiresAt).toBeGreaterThan(second);
    expect(expiresAt).toBeLessThanOrEqual(second + 86_400);
  });

  it('reports a full second instead of throwing', async () => {
    documentMock.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'full', $metadata: {} }));
    expect(await takeSendSlot(1_700_000_000, 14)).toBe(false);
  });
});

describe('acquireSendSlot', () => {
  it('keeps concurrent workers together within the rate, second by second', async () => {
    const { pacing } = virtualPacing(Math.random);
    // The table's conditional ADD, in memory: atomic per call, shared by every worker.
    const windows = new Map<number, number>();
    const take = async (second: number, max: number) => {
      const sent = windows.get(second) ?? 0;
      if (sent >= max) return false;
      windows.set(second, sent + 1);
      return true;
    };
    await Promise.all(Array.from({ length: 50 }, () => rate.acquireSendSlot({ maxPerSecond: 7, pacing, take })));
    expect([...windows.values()].reduce((sum, sent) => sum + sent, 0)).toBe(50);
    for (const sent of windows.values()) expect(sent).toBeLessThanOrEqual(7);
    expect(windows.size).toBeGreaterThanOrEqual(Math.ceil(50 / 7));
  });

  it('waits for the next second (plus jitter) when the current one is full', async () => {
    const { pacing, sleeps } = virtualPacing(() => 0.5);
    let calls = 0;
    await rate.acquireSendSlot({ maxPerSecond: 1, pacing, take: async () => ++calls > 1 });
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBe(1000 + 50);
  });

  it('gives up after its longest wait, so the stream retries the record later', async () => {
    const { pacing } = virtualPacing();
    await expect(rate.acquireSendSlot({ maxPerSecond: 1, maxWaitMs: 5_000, pacing, take: async () => false })).rejects.toBeInstanceOf(
      rate.SendRateExceededError,
    );
  });

  it('reads the rate from MAIL_MAX_SEND_RATE and refuses nonsense', () => {
    expect(rate.maxSendRate()).toBe(1000);
    process.env.MAIL_MAX_SEND_RATE = 'fast';
    expect(() => rate.maxSendRate()).toThrow(/whole number/);
    delete process.env.MAIL_MAX_SEND_RATE;
    expect(rate.maxSendRate()).toBe(rate.DEFAULT_MAX_SEND_RATE);
    process.env.MAIL_MAX_SEND_RATE = '1000';
  });
});

describe('retryThrottling', () => {
  it('recognises the throttling errors SES gives', () => {
    expect(rate.isThrottling(throttled())).toBe(true);
    expect(rate.isThrottling(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))).toBe(true);
    expect(rate.isThrottling(Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' }))).toBe(true);
    expect(rate.isThrottling(Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'LimitExceededException' }))).toBe(true);
    expect(rate.isThrottling(Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' }))).toBe(false);
  });

  it('retries throttling with exponential backoff and full jitter, then succeeds', async () => {
    const { pacing, sleeps } = virtualPacing(() => 0.999);
    let attempts = 0;
    const result = await rate.retryThrottling(
      async () => {
        attempts += 1;
        if (attempts < 4) throw throttled();
        return 'message-id';
      },
      { baseDelayMs: 100, maxDelayMs: 350, pacing },
    );
    expect(result).toBe('message-id');
    // Up to 100, 200, then capped at 350.
    expect(sleeps).toEqual([99, 199, 349]);
  });

  it('draws each delay at random below its ceiling', async () => {
    const { pacing, sleeps } = virtualPacing(() => 0);
    await expect(rate.retryThrottling(async () => Promise.reject(throttled()), { attempts: 3, pacing })).rejects.toThrow(/Maximum sending rate/);
    expect(sleeps).toEqual([0, 0]);
  });

  it('does not retry other errors', async () => {
    const { pacing } = virtualPacing();
    let attempts = 0;
    await expect(
      rate.retryThrottling(async () => {
        attempts += 1;
        throw new Error('MessageRejected');
      }, { pacing }),
    ).rejects.toThrow('MessageRejected');
    expect(attempts).toBe(1);
  });
});

describe('sendEmail', () => {
  it('takes a slot for every attempt, retries SES throttling and sends the tags and configuration set', async () => {
    documentMock.on(UpdateCommand).resolves({});
    sesMock.on(SendEmailCommand).rejectsOnce(throttled()).resolves({ MessageId: 'ses-1' });
    const messageId = await sendEmail({
      to: 'aliya@school.kz',
      subject: 'Сертификатыңыз',
      text: 'Құрметті Әлия!',
      tags: { certificateId: 'abc_-1', kind: 'certificate-issued' },
    });
    expect(messageId).toBe('ses-1');
    expect(sesMock).toHaveReceivedCommandTimes(SendEmailCommand, 2);
    expect(documentMock).toHaveReceivedCommandTimes(UpdateCommand, 2);
    expect(sesMock).toHaveReceivedCommandWith(SendEmailCommand, {
      EmailTags: [
        { Name: 'certificateId', Value: 'abc_-1' },
        { Name: 'kind', Value: 'certificate-issued' },
      ],
    });
  });
});
