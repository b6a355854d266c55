import { claimEmail, markEmailSent, releaseEmailClaim, type ClaimOutcome, type EmailRedrive } from '../store/email-claims';
import type { TransactionPart } from '../store/transactions';
import { faultPoint } from '../faults';
import type { OutgoingEmail } from './client';

/** Another worker holds the claim; failing the record makes the stream retry it later. */
export class EmailInFlightError extends Error {
  constructor(dedupeKey: string) {
    super(`Email ${dedupeKey} is being sent by another worker`);
    this.name = 'EmailInFlightError';
  }
}

export interface SendOnceOptions {
  /** Runs once the claim is marked (a crash before it leaves the email sent, not resent). */
  onSent?: (messageId: string) => Promise<unknown>;
  /**
   * What the email is about, for an email no work item carries: its claim stays in the sweep
   * index until it is sent, so the sweeper re-drives a send that never finished.
   */
  redrive?: EmailRedrive;
  /**
   * Writes that belong with the sent mark (a work item's done mark), in its transaction: written
   * only by the call that sent the email, so a caller told 'already-sent' writes them itself.
   */
  sentWith?: readonly TransactionPart[];
}

/**
 * Sends an email at most once per `dedupeKey`, however often the event behind it is delivered:
 * the send happens only after winning a conditional claim, and the claim is marked sent after.
 */
export async function sendEmailOnce(
  dedupeKey: string,
  compose: () => OutgoingEmail | Promise<OutgoingEmail>,
  options: SendOnceOptions = {},
): Promise<'sent' | 'already-sent'> {
  return sendClaimedEmail(dedupeKey, await claimEmail(dedupeKey, options.redrive), compose, options);
}

/**
 * sendEmailOnce after the claim, for a caller that claimed the email itself (with writes of its
 * own in the claim's transaction, claimEmail's `alongside`) and hands over the claim's outcome.
 */
export async function sendClaimedEmail(
  dedupeKey: string,
  outcome: ClaimOutcome,
  compose: () => OutgoingEmail | Promise<OutgoingEmail>,
  options: SendOnceOptions = {},
): Promise<'sent' | 'already-sent'> {
  const { onSent, redrive, sentWith } = options;
  if (outcome === 'already-sent') return 'already-sent';
  if (outcome === 'in-flight') throw new EmailInFlightError(dedupeKey);
  // Outside the try below: a crash here leaves the claim held until its lease runs out.
  faultPoint('email.after-claim');
  let messageId: string;
  try {
    // The SES client (about 60 KB) loads with the first email, not at every cold start.
    const { sendEmail } = await import('./client');
    messageId = await sendEmail(await compose());
  } catch (error) {
    await releaseEmailClaim(dedupeKey, redrive);
    throw error;
  }
  await markEmailSent(dedupeKey, messageId, sentWith);
  await onSent?.(messageId);
  return 'sent';
}
