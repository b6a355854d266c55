import { claimEmail, markEmailSent, releaseEmailClaim } from '../store/email-claims';
import { sendEmail, type OutgoingEmail } from './client';

/** Another worker holds the claim; failing the record makes the stream retry it later. */
export class EmailInFlightError extends Error {
  constructor(dedupeKey: string) {
    super(`Email ${dedupeKey} is being sent by another worker`);
    this.name = 'EmailInFlightError';
  }
}

/**
 * Sends an email at most once per `dedupeKey`, however often the event behind it is delivered:
 * the send happens only after winning a conditional claim, and the claim is marked sent after.
 * `onSent` runs once the claim is marked (a crash before it leaves the email sent, not resent).
 */
export async function sendEmailOnce(
  dedupeKey: string,
  compose: () => OutgoingEmail | Promise<OutgoingEmail>,
  onSent?: (messageId: string) => Promise<unknown>,
): Promise<'sent' | 'already-sent'> {
  const outcome = await claimEmail(dedupeKey);
  if (outcome === 'already-sent') return 'already-sent';
  if (outcome === 'in-flight') throw new EmailInFlightError(dedupeKey);
  let messageId: string;
  try {
    messageId = await sendEmail(await compose());
  } catch (error) {
    await releaseEmailClaim(dedupeKey);
    throw error;
  }
  await markEmailSent(dedupeKey, messageId);
  await onSent?.(messageId);
  return 'sent';
}
