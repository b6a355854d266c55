/**
 * Simulated SES events: what a configuration set with an EventBridge destination publishes when
 * an email is sent, delivered, bounced or complained about, built for one certificate's email and
 * handed to the manifest's event rules whose pattern matches, as EventBridge would.
 */
import { randomUUID } from 'node:crypto';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import * as z from 'zod';
import { clock } from '../shared/clock';
import { optionalEnv, requiredEnv } from '../shared/env';
import type { EventRuleDefinition } from '../shared/manifest';
import { matchesAny } from './event-filter';
import { lambdaContext } from './lambda-context';

export const sesEventRequestSchema = z.strictObject({
  certificateId: z.string().min(1, 'is required: the certificate whose email the event is about'),
  type: z.enum(['Send', 'Delivery', 'Bounce', 'Complaint'], { error: 'must be Send, Delivery, Bounce or Complaint' }),
  /** Defaults to the message id recorded for the certificate's last email. */
  messageId: z.string().min(1).optional(),
  /** When the event happened; defaults to now (the local clock). */
  at: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with an offset' }).optional(),
});
export type SesEventRequest = z.infer<typeof sesEventRequestSchema>;

const detailTypes: Record<SesEventRequest['type'], string> = {
  Send: 'Email Sent',
  Delivery: 'Email Delivered',
  Bounce: 'Email Bounced',
  Complaint: 'Email Complaint Received',
};

export type EventRuleLambda = (event: EventBridgeEvent<string, unknown>, context: Context) => Promise<unknown>;

export class UnknownCertificateError extends Error {}

/** The EventBridge event SES would publish, in the documented shape of each event type. */
export async function buildSesEvent(request: SesEventRequest): Promise<EventBridgeEvent<string, unknown>> {
  // The store reads its configuration when loaded, which the stack sets only once started.
  const { findCertificate } = await import('../shared/store/certificates');
  const certificate = await findCertificate(request.certificateId);
  if (!certificate) throw new UnknownCertificateError(request.certificateId);
  const at = new Date(request.at ?? clock.now()).toISOString();
  const messageId = request.messageId ?? certificate.delivery?.messageId ?? `local-${randomUUID()}`;
  const recipient = certificate.holderEmail;
  const detail: Record<string, unknown> = {
    eventType: request.type,
    mail: {
      timestamp: certificate.delivery?.at ?? at,
      messageId,
      source: requiredEnv('MAIL_FROM'),
      destination: [recipient],
      tags: {
        certificateId: [certificate.certificateId],
        kind: [certificate.lastResendAt ? 'certificate-resend' : 'certificate-issued'],
        'ses:configuration-set': [optionalEnv('SES_CONFIGURATION_SET') ?? 'local'],
      },
    },
  };
  if (request.type === 'Delivery') detail.delivery = { timestamp: at, recipients: [recipient], smtpResponse: '250 2.0.0 OK' };
  if (request.type === 'Bounce') {
    detail.bounce = { timestamp: at, bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ emailAddress: recipient }] };
  }
  if (request.type === 'Complaint') detail.complaint = { timestamp: at, complainedRecipients: [{ emailAddress: recipient }] };
  if (request.type === 'Send') detail.send = {};
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': detailTypes[request.type],
    source: 'aws.ses',
    account: '000000000000',
    time: at,
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

/** Delivers the event to every rule whose pattern matches; returns what each handler answered. */
export async function dispatchEvent(
  event: EventBridgeEvent<string, unknown>,
  rules: readonly { definition: EventRuleDefinition; handler: EventRuleLambda }[],
): Promise<{ rule: string; result: unknown }[]> {
  const results: { rule: string; result: unknown }[] = [];
  for (const rule of rules) {
    if (!matchesAny([rule.definition.pattern], event)) continue;
    const context = lambdaContext({ functionName: rule.definition.name, timeoutSeconds: rule.definition.timeoutSeconds, memoryMb: rule.definition.memoryMb });
    results.push({ rule: rule.definition.name, result: (await rule.handler(event, context)) ?? null });
  }
  return results;
}
