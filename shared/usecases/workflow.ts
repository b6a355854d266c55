import { sendEmailOnce } from '../mail/send-once';
import { trainingPublishedEmail } from '../mail/templates';
import type { Training } from '../schemas/training';

/** Effects of a training's state changes, as seen on the table's stream. */
export async function onTrainingChanged(training: Training, previous: Training | undefined): Promise<void> {
  if (training.status === 'published' && previous?.status !== 'published') {
    await sendEmailOnce(`training-published#${training.id}`, () => trainingPublishedEmail(training));
  }
}
