/**
 * The delivery of a certificate's email, as the trainer sees it, and the rules that keep it right
 * when SES events arrive late, twice or out of order.
 */
/** `cancelled`: a resend whose certificate was revoked before its email left; nothing was sent. */
export const deliveryStatuses = ['sending', 'sent', 'delivered', 'bounced', 'complained', 'cancelled'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export interface DeliveryState {
  status: DeliveryStatus;
  /** When it happened (SES's timestamp for events). */
  at: string;
  messageId?: string;
}

/** Within one instant, later stages of one message win over earlier ones. */
const stage: Record<DeliveryStatus, number> = { sending: 0, sent: 1, delivered: 2, bounced: 3, complained: 4, cancelled: 5 };

/**
 * The key a stored state is compared by: an update is applied only if its key is greater, so an
 * older event never overwrites a newer one and a repeated event changes nothing.
 */
export function deliveryOrder(state: Pick<DeliveryState, 'status' | 'at'>): string {
  return `${new Date(state.at).toISOString()}#${stage[state.status]}`;
}

/** SES event types (the `eventType` of an event-publishing record) that change what the trainer sees. */
const statusOfEventType: Record<string, DeliveryStatus> = {
  Send: 'sent',
  Delivery: 'delivered',
  Bounce: 'bounced',
  Complaint: 'complained',
};

export function deliveryStatusOfSesEvent(eventType: string): DeliveryStatus | undefined {
  return statusOfEventType[eventType];
}

/** A second resend within this time is refused: one click that was sent twice is not two requests. */
export const RESEND_COOLDOWN_MS = 5 * 60_000;

/** When the next resend is allowed, given the last one; undefined when it is allowed now. */
export function nextResendAllowedAt(lastResendAt: string | undefined, now: Date): Date | undefined {
  if (lastResendAt === undefined) return undefined;
  const allowedAt = new Date(Date.parse(lastResendAt) + RESEND_COOLDOWN_MS);
  return allowedAt.getTime() > now.getTime() ? allowedAt : undefined;
}

export type IssuanceOutcome = 'issued' | 'not-completed' | 'pending';

/** What the store knows about one participant, gathered by the use case. */
export interface ParticipantIssuance {
  registrationId: string;
  fullName: string;
  /** The work item's outcome once it is done. */
  taskOutcome?: 'certificate' | 'not-completed' | 'skipped';
  certificate?: { certificateId: string; number: string; issuedAt: string; delivery?: DeliveryState };
  /** The certificate email's claim is marked sent (covers a crash before its status was recorded). */
  certificateEmailSent?: boolean;
}

export interface IssuanceItem {
  registrationId: string;
  fullName: string;
  outcome: IssuanceOutcome;
  certificateId?: string;
  number?: string;
  delivery?: { status: DeliveryStatus; at: string };
}

export interface IssuanceProgress {
  summary: {
    participants: number;
    issued: number;
    notCompleted: number;
    pending: number;
    /** Accepted by SES and not bounced: sent, delivered, or delivered and complained about. */
    emailed: number;
    bounced: number;
    complained: number;
  };
  items: IssuanceItem[];
}

function itemOf(participant: ParticipantIssuance): IssuanceItem {
  const { registrationId, fullName, certificate } = participant;
  if (certificate) {
    // A certificate counts even if the work item said "not completed": late feedback issues it.
    const delivery: DeliveryState = certificate.delivery ??
      (participant.certificateEmailSent ? { status: 'sent', at: certificate.issuedAt } : { status: 'sending', at: certificate.issuedAt });
    return {
      registrationId,
      fullName,
      outcome: 'issued',
      certificateId: certificate.certificateId,
      number: certificate.number,
      delivery: { status: delivery.status, at: delivery.at },
    };
  }
  return { registrationId, fullName, outcome: participant.taskOutcome === 'not-completed' ? 'not-completed' : 'pending' };
}

const emailedStatuses: ReadonlySet<DeliveryStatus> = new Set(['sent', 'delivered', 'complained']);

export function issuanceProgress(participants: readonly ParticipantIssuance[]): IssuanceProgress {
  const items = participants.map(itemOf);
  const count = (predicate: (item: IssuanceItem) => boolean) => items.filter(predicate).length;
  return {
    summary: {
      participants: items.length,
      issued: count((item) => item.outcome === 'issued'),
      notCompleted: count((item) => item.outcome === 'not-completed'),
      pending: count((item) => item.outcome === 'pending'),
      emailed: count((item) => item.delivery !== undefined && emailedStatuses.has(item.delivery.status)),
      bounced: count((item) => item.delivery?.status === 'bounced'),
      complained: count((item) => item.delivery?.status === 'complained'),
    },
    items,
  };
}
