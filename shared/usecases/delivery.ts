import { hasCurrentPdf } from '../domain/certificate-lifecycle';
import { randomUUID } from 'node:crypto';
import { coordinatesRegion, hasRole, type Principal } from '../auth/principal';
import { certificateIdFor } from '../certificates/codes';
import { clock } from '../clock';
import {
  deliveryStatusOfSesEvent,
  issuanceProgress,
  nextResendAllowedAt,
  RESEND_COOLDOWN_MS,
  type DeliveryState,
  type IssuanceProgress,
} from '../domain/delivery';
import { canOversee } from '../domain/training';
import { ConflictError, ForbiddenError, NotFoundError, TooManyRequestsError } from '../errors';
import type { SesEventDetail } from '../schemas/ses-events';
import { findCertificate, findCertificates, queueResend, recordDelivery, type Certificate } from '../store/certificates';
import { alreadySentEmails } from '../store/email-claims';
import { listIssuanceTasks } from '../store/issuance';
import { listRoster, type StoredRegistration } from '../store/registrations';
import { findTraining } from '../store/trainings';

const certificateEmailKinds = new Set(['certificate-issued', 'certificate-resend']);

/** The moment the event is about: SES stamps each kind of event in its own object. */
function eventInstant(detail: SesEventDetail): string {
  return (detail.delivery ?? detail.bounce ?? detail.complaint)?.timestamp ?? detail.mail.timestamp;
}

export type SesEventOutcome = 'recorded' | 'stale' | 'ignored';

/**
 * Applies one SES event to the certificate its email was about (found by the message tags the
 * email was sent with). Idempotent and order-proof: the store keeps only the newest state.
 */
export async function recordSesEvent(detail: SesEventDetail): Promise<SesEventOutcome> {
  const status = deliveryStatusOfSesEvent(detail.eventType);
  const certificateId = detail.mail.tags?.certificateId?.[0];
  const kind = detail.mail.tags?.kind?.[0];
  if (!status || !certificateId || !kind || !certificateEmailKinds.has(kind)) return 'ignored';
  const at = new Date(eventInstant(detail));
  if (Number.isNaN(at.getTime())) return 'ignored';
  const state: DeliveryState = { status, at: at.toISOString(), messageId: detail.mail.messageId };
  return (await recordDelivery(certificateId, state)) ? 'recorded' : 'stale';
}

const ROSTER_PAGE = 100;

async function confirmedRoster(trainingId: string): Promise<StoredRegistration[]> {
  const confirmed: StoredRegistration[] = [];
  let cursor: string | undefined;
  do {
    const page = await listRoster(trainingId, { limit: ROSTER_PAGE, ...(cursor ? { cursor } : {}) });
    confirmed.push(...page.items.filter((registration) => registration.status === 'confirmed'));
    cursor = page.nextCursor;
  } while (cursor);
  return confirmed;
}

const issuedEmailKey = (certificateId: string) => `certificate-issued#${certificateId}`;

/**
 * A training's certificates as its trainer follows them: who got one, who did not complete, who
 * is still pending, and what became of each certificate email. Reads the roster, the work items
 * and the certificates by key (no scan); ~1,000 participants are a dozen queries and batch reads.
 */
export async function issuanceProgressOf(principal: Principal, trainingId: string): Promise<IssuanceProgress> {
  const stored = await findTraining(trainingId);
  if (!stored) throw new NotFoundError('No training has this id. Check the link, or find the training in the list.');
  if (!canOversee(principal, stored.training)) {
    throw new ForbiddenError("Only the training's trainer, a coordinator of its region or an administrator can follow its certificates.");
  }
  const [participants, tasks] = await Promise.all([confirmedRoster(trainingId), listIssuanceTasks(trainingId)]);
  const taskOf = new Map(tasks.map((task) => [task.registrationId, task]));
  const certificates = await findCertificates(participants.map((registration) => certificateIdFor(trainingId, registration.registrationId)));
  const certificateOf = new Map(certificates.map((certificate) => [certificate.registrationId, certificate]));
  const sent = await alreadySentEmails(certificates.filter((c) => !c.delivery).map((c) => issuedEmailKey(c.certificateId)));
  return issuanceProgress(
    participants.map((registration) => {
      const certificate = certificateOf.get(registration.registrationId);
      const taskOutcome = taskOf.get(registration.registrationId)?.outcome;
      return {
        registrationId: registration.registrationId,
        fullName: registration.fullName,
        ...(taskOutcome ? { taskOutcome } : {}),
        ...(certificate
          ? {
              certificate: {
                certificateId: certificate.certificateId,
                number: certificate.number,
                issuedAt: certificate.issuedAt,
                ...(certificate.delivery ? { delivery: certificate.delivery } : {}),
              },
              certificateEmailSent: sent.has(issuedEmailKey(certificate.certificateId)),
            }
          : {}),
      };
    }),
  );
}

/** Its trainer, a coordinator of its region, an administrator. */
function mayResend(principal: Principal, certificate: Certificate): boolean {
  return hasRole(principal, 'admins') || principal.sub === certificate.trainerSub || coordinatesRegion(principal, certificate.region);
}

function tooSoon(lastResendAt: string, now: Date): TooManyRequestsError {
  const allowedAt = new Date(Date.parse(lastResendAt) + RESEND_COOLDOWN_MS);
  const minutes = Math.max(1, Math.ceil((allowedAt.getTime() - now.getTime()) / 60_000));
  return new TooManyRequestsError(
    `This certificate was sent again at ${lastResendAt}. To avoid duplicate emails, it can be sent again from ${allowedAt.toISOString()} (in ${minutes} min).`,
    'resend_too_soon',
    { retryAfter: allowedAt.toISOString() },
  );
}

/**
 * Queues one more email of a certificate to its holder. One email per accepted request: the work
 * item has its own claim, and a second request (a double click, a client's retry) within the
 * cooldown is refused with 429 and when to try again.
 */
export async function resendCertificate(principal: Principal, certificateId: string): Promise<{ certificateId: string; status: 'queued' }> {
  const certificate = await findCertificate(certificateId);
  if (!certificate) throw new NotFoundError('No certificate has this id. Check the link, or find it in the training\'s issuance list.');
  if (!mayResend(principal, certificate)) {
    throw new ForbiddenError("Only the training's trainer, a coordinator of its region or an administrator can send a certificate again.");
  }
  if (certificate.status !== 'valid') {
    throw new ConflictError('This certificate has been revoked, so it cannot be sent again.', 'certificate_revoked');
  }
  if (!hasCurrentPdf(certificate)) {
    throw new ConflictError('The certificate is still being prepared and its email is on its way. Try again in a minute.', 'pdf_not_ready');
  }
  const now = clock.now();
  if (nextResendAllowedAt(certificate.lastResendAt, now) && certificate.lastResendAt) throw tooSoon(certificate.lastResendAt, now);
  const outcome = await queueResend(
    { certificateId, resendId: randomUUID(), requestedAt: now.toISOString(), requestedBy: principal.sub },
    new Date(now.getTime() - RESEND_COOLDOWN_MS).toISOString(),
  );
  if (outcome.kind === 'missing') throw new NotFoundError('No certificate has this id.');
  if (outcome.kind === 'too-soon') throw tooSoon(outcome.lastResendAt, now);
  return { certificateId, status: 'queued' };
}
