import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  deliveryOrder,
  deliveryStatusOfSesEvent,
  issuanceProgress,
  nextResendAllowedAt,
  RESEND_COOLDOWN_MS,
  type DeliveryState,
} from '../../shared/domain/delivery';
import { sesEventDetailSchema } from '../../shared/schemas/ses-events';
import type * as Delivery from '../../shared/usecases/delivery';

process.env.TABLE_NAME = 'unit-table';
process.env.CERTIFICATES_BUCKET = 'unit-bucket';
process.env.MAIL_FROM = 'no-reply@training.local';
const documentMock = mockClient(DynamoDBDocumentClient);

let recordSesEvent: typeof Delivery.recordSesEvent;
beforeAll(async () => {
  ({ recordSesEvent } = await import('../../shared/usecases/delivery'));
});
beforeEach(() => documentMock.reset());

describe('delivery order', () => {
  it('orders by instant first, then by stage within one instant', () => {
    const at = '2026-11-23T10:00:00.000Z';
    expect(deliveryOrder({ status: 'sent', at }) < deliveryOrder({ status: 'delivered', at })).toBe(true);
    expect(deliveryOrder({ status: 'delivered', at }) < deliveryOrder({ status: 'complained', at })).toBe(true);
    // A bounce of an older message never beats a newer 'sending' (a resend in progress).
    expect(deliveryOrder({ status: 'bounced', at }) < deliveryOrder({ status: 'sending', at: '2026-11-23T10:00:00.001Z' })).toBe(true);
    // Offsets are normalized, so string order is time order.
    expect(deliveryOrder({ status: 'sent', at: '2026-11-23T15:00:00+05:00' })).toBe(deliveryOrder({ status: 'sent', at }));
  });

  it('maps the SES event types the trainer cares about', () => {
    expect(deliveryStatusOfSesEvent('Send')).toBe('sent');
    expect(deliveryStatusOfSesEvent('Delivery')).toBe('delivered');
    expect(deliveryStatusOfSesEvent('Bounce')).toBe('bounced');
    expect(deliveryStatusOfSesEvent('Complaint')).toBe('complained');
    expect(deliveryStatusOfSesEvent('Open')).toBeUndefined();
  });
});

describe('resend cooldown', () => {
  it('allows a resend once the cooldown after the last one has passed', () => {
    const last = '2026-11-23T10:00:00.000Z';
    expect(nextResendAllowedAt(undefined, new Date(last))).toBeUndefined();
    expect(nextResendAllowedAt(last, new Date(Date.parse(last) + 60_000))?.toISOString()).toBe(
      new Date(Date.parse(last) + RESEND_COOLDOWN_MS).toISOString(),
    );
    expect(nextResendAllowedAt(last, new Date(Date.parse(last) + RESEND_COOLDOWN_MS))).toBeUndefined();
  });
});

describe('issuance progress', () => {
  const certificate = (delivery?: DeliveryState) => ({
    certificateId: 'c',
    number: 'DESTT-2026-ALA-000001',
    issuedAt: '2026-11-23T10:00:00.000Z',
    ...(delivery ? { delivery } : {}),
  });

  it('sums outcomes and deliveries', () => {
    const progress = issuanceProgress([
      { registrationId: 'r1', fullName: 'Әлия', taskOutcome: 'certificate', certificate: certificate({ status: 'delivered', at: '2026-11-23T10:01:00.000Z' }) },
      { registrationId: 'r2', fullName: 'Дәурен', taskOutcome: 'not-completed' },
      // Late feedback issued a certificate after the work item said "not completed".
      { registrationId: 'r3', fullName: 'Ботагөз', taskOutcome: 'not-completed', certificate: certificate({ status: 'bounced', at: '2026-11-23T10:02:00.000Z' }) },
      { registrationId: 'r4', fullName: 'Іңкәр' },
      { registrationId: 'r5', fullName: 'Ұлжан', taskOutcome: 'certificate', certificate: certificate(), certificateEmailSent: true },
      { registrationId: 'r6', fullName: 'Һадия', certificate: certificate() },
      { registrationId: 'r7', fullName: 'Өмір', certificate: certificate({ status: 'complained', at: '2026-11-23T10:03:00.000Z' }) },
    ]);
    expect(progress.summary).toEqual({ participants: 7, issued: 5, notCompleted: 1, pending: 1, emailed: 3, bounced: 1, complained: 1 });
    expect(progress.items[0]).toEqual({
      registrationId: 'r1',
      fullName: 'Әлия',
      outcome: 'issued',
      certificateId: 'c',
      number: 'DESTT-2026-ALA-000001',
      delivery: { status: 'delivered', at: '2026-11-23T10:01:00.000Z' },
    });
    expect(progress.items[3]).toEqual({ registrationId: 'r4', fullName: 'Іңкәр', outcome: 'pending' });
    expect(progress.items[4]!.delivery).toEqual({ status: 'sent', at: '2026-11-23T10:00:00.000Z' });
    expect(progress.items[5]!.delivery?.status).toBe('sending');
  });
});

describe('recording an SES event', () => {
  const detail = (eventType: string, tags: Record<string, string[]> | undefined, extra: Record<string, unknown> = {}) =>
    sesEventDetailSchema.parse({
      eventType,
      mail: { messageId: 'm-1', timestamp: '2026-11-23T10:00:00.000Z', destination: ['a@school.kz'], ...(tags ? { tags } : {}) },
      ...extra,
    });

  it('writes the status only if it is newer than what is stored', async () => {
    documentMock.on(UpdateCommand).resolves({});
    const outcome = await recordSesEvent(
      detail('Delivery', { certificateId: ['cert-1'], kind: ['certificate-issued'] }, { delivery: { timestamp: '2026-11-23T10:00:05.000Z' } }),
    );
    expect(outcome).toBe('recorded');
    expect(documentMock).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: 'CERT#cert-1', sk: 'CERT' },
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(deliveryOrder) OR deliveryOrder < :order)',
      ExpressionAttributeValues: {
        ':delivery': { status: 'delivered', at: '2026-11-23T10:00:05.000Z', messageId: 'm-1' },
        ':order': '2026-11-23T10:00:05.000Z#2',
      },
    });
  });

  it('calls an older event stale and changes nothing', async () => {
    documentMock.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'older', $metadata: {} }));
    const outcome = await recordSesEvent(
      detail('Bounce', { certificateId: ['cert-1'], kind: ['certificate-resend'] }, { bounce: { timestamp: '2026-11-23T09:00:00.000Z' } }),
    );
    expect(outcome).toBe('stale');
  });

  it('ignores emails that are not certificate emails, and event types that do not matter', async () => {
    expect(await recordSesEvent(detail('Delivery', undefined))).toBe('ignored');
    expect(await recordSesEvent(detail('Delivery', { kind: ['registration-confirmed'], certificateId: ['x'] }))).toBe('ignored');
    expect(await recordSesEvent(detail('Open', { certificateId: ['cert-1'], kind: ['certificate-issued'] }))).toBe('ignored');
    expect(documentMock).toHaveReceivedCommandTimes(UpdateCommand, 0);
  });
});
