import { hasRole, type Principal } from '../auth/principal';
import { assertEligible, assertLevelAllowed, publishEligibility, withLineage } from '../domain/cascade';
import {
  certificatesHeldBy,
  designateNationalTrainer as putDesignation,
  isNationalTrainer,
  undesignateNationalTrainer as deleteDesignation,
} from '../store/cascade';
import { clock } from '../clock';
import {
  cancelTraining as cancelRule,
  createTraining as createRule,
  isVisibleTo,
  publicView,
  publishTraining as publishRule,
  viewFor,
  type PublicTraining,
  updateTraining as updateRule,
} from '../domain/training';
import { NotFoundError } from '../errors';
import { assertKnownTopic } from './topics';
import { newId } from '../ids';
import type { CreateTrainingInput, ListTrainingsQuery, Training, UpdateTrainingInput } from '../schemas/training';
import {
  findTraining,
  insertTraining,
  listListedTrainings,
  listTrainingsOfTrainer,
  saveTraining,
  type StoredTraining,
} from '../store/trainings';
import type { Page } from '../store/paging';

function notFound(): NotFoundError {
  return new NotFoundError('No training has this id. Check the link, or find the training in the list.');
}

async function loadTraining(trainingId: string): Promise<StoredTraining> {
  const stored = await findTraining(trainingId);
  if (!stored) throw notFound();
  return stored;
}

export async function createTraining(principal: Principal, input: CreateTrainingInput): Promise<Training> {
  assertLevelAllowed(input.level);
  await assertKnownTopic(input.topic);
  const training = createRule(input, principal, clock.now(), newId);
  await insertTraining(training);
  return training;
}

export async function getTraining(
  principal: Principal | undefined,
  trainingId: string,
): Promise<Training | PublicTraining> {
  const { training } = await loadTraining(trainingId);
  // A draft is answered as missing, not forbidden: its existence is not public either.
  if (!isVisibleTo(training, principal)) throw notFound();
  return viewFor(training, principal);
}

async function change(trainingId: string, apply: (training: Training) => Training): Promise<Training> {
  const { training, version } = await loadTraining(trainingId);
  const next = apply(training);
  await saveTraining(next, version);
  return next;
}

export async function updateTraining(principal: Principal, trainingId: string, patch: UpdateTrainingInput): Promise<Training> {
  if (patch.level !== undefined) assertLevelAllowed(patch.level);
  if (patch.topic !== undefined) await assertKnownTopic(patch.topic);
  return change(trainingId, (training) => updateRule(training, patch, principal, clock.now(), newId));
}

/**
 * Publishing checks the cascade rules after the scheduling rules: the trainer's standing is read
 * (designation, certificates through the holder index) and the qualifying certificate is recorded
 * on the training, so every certificate it issues carries the lineage.
 */
export async function publishTraining(principal: Principal, trainingId: string): Promise<Training> {
  const { training, version } = await loadTraining(trainingId);
  const now = clock.now();
  const published = publishRule(training, principal, now);
  assertLevelAllowed(training.level);
  const trainerEmail = training.trainer.email.toLowerCase();
  const [trainerIsNationalTrainer, trainerCertificates] = await Promise.all([
    training.level === 0 ? isNationalTrainer(trainerEmail) : Promise.resolve(false),
    training.level > 0 ? certificatesHeldBy(trainerEmail) : Promise.resolve([]),
  ]);
  const qualification = assertEligible(
    publishEligibility({
      level: training.level,
      trainingId: training.id,
      publisherIsAdmin: hasRole(principal, 'admins'),
      trainerIsNationalTrainer,
      trainerCertificates,
      trainerSub: training.trainer.sub,
      now,
    }),
  );
  const next = withLineage(published, qualification);
  await saveTraining(next, version);
  return next;
}

export async function designateNationalTrainer(principal: Principal, email: string): Promise<{ email: string; nationalTrainer: true }> {
  const normalized = email.toLowerCase();
  await putDesignation({ email: normalized, designatedBy: principal.sub, designatedAt: clock.now().toISOString() });
  return { email: normalized, nationalTrainer: true };
}

export async function undesignateNationalTrainer(email: string): Promise<void> {
  await deleteDesignation(email.toLowerCase());
}

export function cancelTraining(principal: Principal, trainingId: string, reason?: string): Promise<Training> {
  return change(trainingId, (training) => cancelRule(training, principal, clock.now(), reason));
}

/**
 * Upcoming trainings by default: without `from`, the published list starts at today's first
 * instant in Almaty. Closed trainings are history, so their list starts at the beginning.
 */
export async function listTrainings(query: ListTrainingsQuery): Promise<Page<PublicTraining>> {
  const from = query.from ?? (query.status === 'closed' ? new Date(0).toISOString() : startOfTodayInAlmaty(clock.now()));
  const page = await listListedTrainings({ ...query, from });
  return { ...page, items: page.items.map(publicView) };
}

export function listMyTrainings(principal: Principal, page: { limit: number; cursor?: string }): Promise<Page<Training>> {
  return listTrainingsOfTrainer(principal.sub, page);
}

/** Kazakhstan keeps UTC+5 all year (since 2024), so the day starts at 19:00 UTC the day before. */
function startOfTodayInAlmaty(now: Date): string {
  const almatyOffsetMs = 5 * 3_600_000;
  const local = new Date(now.getTime() + almatyOffsetMs);
  local.setUTCHours(0, 0, 0, 0);
  return new Date(local.getTime() - almatyOffsetMs).toISOString();
}
