import type { Principal } from '../auth/principal';
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
import { newId } from '../ids';
import type { CreateTrainingInput, ListTrainingsQuery, Training, UpdateTrainingInput } from '../schemas/training';
import {
  findTraining,
  insertTraining,
  listPublishedTrainings,
  listTrainingsOfTrainer,
  saveTraining,
  type Page,
  type StoredTraining,
} from '../store/trainings';

function notFound(): NotFoundError {
  return new NotFoundError('No training has this id. Check the link, or find the training in the list.');
}

async function loadTraining(trainingId: string): Promise<StoredTraining> {
  const stored = await findTraining(trainingId);
  if (!stored) throw notFound();
  return stored;
}

export async function createTraining(principal: Principal, input: CreateTrainingInput): Promise<Training> {
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

export function updateTraining(principal: Principal, trainingId: string, patch: UpdateTrainingInput): Promise<Training> {
  return change(trainingId, (training) => updateRule(training, patch, principal, clock.now(), newId));
}

export function publishTraining(principal: Principal, trainingId: string): Promise<Training> {
  return change(trainingId, (training) => publishRule(training, principal, clock.now()));
}

export function cancelTraining(principal: Principal, trainingId: string, reason?: string): Promise<Training> {
  return change(trainingId, (training) => cancelRule(training, principal, clock.now(), reason));
}

/** Upcoming trainings by default: without `from`, the list starts at today's first instant in Almaty. */
export async function listTrainings(query: ListTrainingsQuery): Promise<Page<PublicTraining>> {
  const page = await listPublishedTrainings({ ...query, from: query.from ?? startOfTodayInAlmaty(clock.now()) });
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
