import { EmailInFlightError } from '../mail/send-once';
import { errorName } from '../observability/logger';

/** What a scheduled email job reports of the sends it could not finish. */
export interface SendTally {
  /** Due but another run is sending it right now; it is that run's to finish. */
  inFlight: number;
  /** Could not be sent this time (the claim was given back; the next tick retries). */
  failed: number;
  /** The kinds of error behind `failed` (names only: messages may quote an address). */
  errorNames: string[];
}

/** Counts one send that threw: in flight elsewhere, or failed with its error's name. */
export function tallySendFailure(tally: SendTally, error: unknown): void {
  if (error instanceof EmailInFlightError) {
    tally.inFlight += 1;
    return;
  }
  tally.failed += 1;
  const name = errorName(error);
  if (!tally.errorNames.includes(name)) tally.errorNames.push(name);
}
