/** Who may register when, and who may see or manage a training's participants. Pure rules. */
import type { Principal } from '../auth/principal';
import { ConflictError } from '../errors';
import type { Training } from '../schemas/training';
import { canOversee, firstSessionStart } from './training';

/** Without an explicit deadline, registration closes when the first session starts. */
export function registrationClosesAt(training: Pick<Training, 'registrationClosesAt' | 'sessions'>): string {
  return training.registrationClosesAt ?? firstSessionStart(training);
}

export function assertRegistrationOpen(training: Training, now: Date): void {
  switch (training.status) {
    case 'draft':
      throw new ConflictError('This training is not open for registration yet. Try again once it is published.', 'not_published');
    case 'cancelled':
      throw new ConflictError('This training has been cancelled. Look for another training in the list.', 'cancelled');
    case 'closed':
      throw new ConflictError('This training has already taken place. Look for an upcoming one in the list.', 'closed');
    case 'published':
      break;
  }
  if (now.getTime() >= Date.parse(registrationClosesAt(training))) {
    throw new ConflictError(
      'Registration for this training has closed. Look for another date in the list, or ask the trainer.',
      'registration_closed',
    );
  }
}

/** A participant may withdraw until the training is over; after that the record is history. */
export function assertCancellable(training: Training): void {
  if (training.status === 'closed') {
    throw new ConflictError('This training is closed; its registrations can no longer change.', 'closed');
  }
}

/** The roster and imports belong to the trainer, the region's coordinators and admins. */
export const canManageParticipants = canOversee;

/**
 * The training's own trainer, by account or by email: nobody is a participant of, and so never
 * certified by, a training they run.
 */
export function isOwnTraining(training: Pick<Training, 'trainer'>, person: { email: string; userSub?: string }): boolean {
  return person.email.toLowerCase() === training.trainer.email.toLowerCase() || (person.userSub !== undefined && person.userSub === training.trainer.sub);
}

export function assertNotOwnTraining(training: Pick<Training, 'trainer'>, person: { email: string; userSub?: string }): void {
  if (isOwnTraining(training, person)) {
    throw new ConflictError(
      'The trainer of a training cannot take part in it or be certified by it. Register for a training someone else runs.',
      'own_training',
    );
  }
}

export function isSelf(principal: Principal, email: string): boolean {
  return principal.email.toLowerCase() === email;
}
