/**
 * A synthetic year of the cascade, deterministic per national training (so a run can resume):
 * each national (level-0) training certifies one regional instructor per region (20); each of them
 * delivers two level-1 trainings of 25; two in five of those certified deliver a level-2 training
 * of 25 in their region. That is ~10,500 certificates and ~10,000 descendants per national
 * training; --teachers 300000 gives 35 of them and ~370,000 certificates.
 *
 * Source items only (trainings, registrations, certificates, feedback responses with each closed
 * training's released feedback state and "answered" marks): the analytics
 * consumer (or reconcile) builds the aggregates from them, as it would from real activity.
 */
import { createHash } from 'node:crypto';
import { regions } from '../shared/config/regions';
import { seededTopics } from '../shared/config/topics';
import { CERTIFICATE_ISSUER, certificateNumber, validUntilFor } from '../shared/domain/certificate';
import { feedbackMinimumResponses, meetsMinimum, tallyRatings } from '../shared/domain/feedback';
import type { FeedbackResponse } from '../shared/schemas/feedback';
import type { Training } from '../shared/schemas/training';
import type { Certificate } from '../shared/store/certificates';
import { documentClient, tableName } from '../shared/store/client';
import { entityTypes } from '../shared/store/entity-types';
import { certificateKeys, feedbackKeys, syntheticKeys } from '../shared/store/keys';
import { batchWrite } from '../shared/store/reconcile';
import { registrationItem, type StoredRegistration } from '../shared/store/registrations';
import { trainingItem } from '../shared/store/trainings';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

const PARTICIPANTS = 25;
const LEVEL1_PER_INSTRUCTOR = 2;
const SHARE_DELIVERING_LEVEL2 = 0.4;
const FEEDBACK_SHARE = 0.75;
const REVOKED_SHARE = 0.005;
const CANCELLED_SHARE = 0.03;
export const CERTIFICATES_PER_NATIONAL = regions.length * (1 + LEVEL1_PER_INSTRUCTOR * PARTICIPANTS * (1 + SHARE_DELIVERING_LEVEL2 * PARTICIPANTS));
// Cascades rotate through the seeded vocabulary, as real trainings name its topics.
const TOPICS = seededTopics.map((topic) => topic.id);
const GIVEN = ['Айгүл', 'Ерлан', 'Гүлнұр', 'Дәурен', 'Іңкәр', 'Нұрлан', 'Әсел', 'Ботагөз', 'Қанат', 'Өмірзақ', 'Ұлжан', 'Һадия'];
const FAMILY = ['Сейітова', 'Әбенов', 'Жұмабекқызы', 'Өтепов', 'Үсенова', 'Қасымов', 'Құрманғазиева', 'Бөкейқызы', 'Тоқтаров', 'Ғалымжанов'];
const DAY = 86_400_000;

type Item = Record<string, unknown>;

/** mulberry32: a small, seedable generator, so the same national training is generated the same way twice. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function subOf(email: string): string {
  return createHash('sha256').update(email).digest('hex').slice(0, 32);
}

interface Person {
  email: string;
  name: string;
}

/** ~370,000 completions a year for ~300,000 teachers (some complete more than one training). */
const COMPLETIONS_PER_TEACHER = 370 / 300;
/** What one national training's cascade certifies once cancellations and revocations are counted. */
const CERTIFICATES_PER_CASCADE = 10_500;

export function nationalCount(teachers: number): number {
  return Math.max(1, Math.round((teachers * COMPLETIONS_PER_TEACHER) / CERTIFICATES_PER_CASCADE));
}

/** The items of one national training's cascade; `sequenceBase` keeps certificate numbers unique. */
export function nationalCascade(year: number, index: number, sequenceBase: number): Item[] {
  const rng = random(year * 1_000 + index);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rng() * list.length)]!;
  const items: Item[] = [];
  let sequence = sequenceBase;
  let people = 0;
  const yearEnd = Date.UTC(year, 11, 10);
  const person = (prefix: string): Person => {
    people++;
    return { email: `${prefix}-p${people}@synthetic.kz`, name: `${pick(GIVEN)} ${pick(FAMILY)}` };
  };
  const topic = TOPICS[index % TOPICS.length]!;

  const training = (
    id: string,
    level: 0 | 1 | 2,
    region: string,
    trainer: Person,
    startMs: number,
    qualifying?: Certificate,
    rootId?: string,
  ): Training => {
    const start = Math.min(startMs, yearEnd);
    const sessions = Array.from({ length: level === 0 ? 5 : 3 }, (_, day) => ({
      id: `${id}-s${day}`,
      startsAt: new Date(start + day * DAY).toISOString(),
      endsAt: new Date(start + day * DAY + 3 * 3_600_000).toISOString(),
    }));
    const cancelled = level === 2 && rng() < CANCELLED_SHARE;
    const lastEnd = Date.parse(sessions.at(-1)!.endsAt);
    return {
      id,
      title: { kk: `Көшбасшы мұғалім: ${topic} (${level}-деңгей)`, ru: `Учитель-лидер: ${topic} (уровень ${level})` },
      topic,
      language: 'kk',
      region,
      level,
      hours: level === 0 ? 72 : 24,
      ects: 1,
      capacity: PARTICIPANTS + 5,
      sessions,
      completionThreshold: 0.8,
      feedbackRequired: true,
      status: cancelled ? 'cancelled' : 'closed',
      trainer: { sub: subOf(trainer.email), name: trainer.name, email: trainer.email },
      createdAt: new Date(start - 30 * DAY).toISOString(),
      updatedAt: new Date(lastEnd + 3_600_000).toISOString(),
      publishedAt: new Date(start - 20 * DAY).toISOString(),
      ...(cancelled ? { cancelledAt: new Date(start - 2 * DAY).toISOString() } : { closedAt: new Date(lastEnd + 3_600_000).toISOString(), issuanceQueuedAt: new Date(lastEnd + 3_600_000).toISOString() }),
      ...(qualifying
        ? {
            qualifyingCertificateId: qualifying.certificateId,
            qualifyingCertificateNumber: qualifying.number,
            qualifyingCertificateIssuedAt: qualifying.issuedAt,
            parentTrainingId: qualifying.trainingId,
            cascadeRootId: rootId!,
          }
        : { cascadeRootId: id }),
    };
  };

  /** Registrations, feedback and certificates of a training's participants; returns the certificates. */
  const deliver = (t: Training, participants: readonly Person[]): Certificate[] => {
    items.push(trainingItem(t, 3));
    const certificates: Certificate[] = [];
    const responses: FeedbackResponse[] = [];
    participants.forEach((participant, number) => {
      const registrationId = `${t.id}-r${number}`;
      const registeredAt = new Date(Date.parse(t.publishedAt!) + (1 + number) * 60_000).toISOString();
      const gaveFeedback = t.status === 'closed' && rng() < FEEDBACK_SHARE;
      const registration: StoredRegistration = {
        registrationId,
        trainingId: t.id,
        userSub: subOf(participant.email),
        email: participant.email,
        fullName: participant.name,
        preferredLanguage: 'kk',
        status: 'confirmed',
        registeredAt,
        confirmedAt: registeredAt,
        source: 'self',
        ...(gaveFeedback ? { feedbackSubmittedAt: t.closedAt! } : {}),
      };
      items.push(registrationItem(registration));
      if (t.status !== 'closed') return;
      if (gaveFeedback) {
        const score = () => 3 + Math.floor(rng() * 3);
        const response: FeedbackResponse = {
          trainingId: t.id,
          ratings: { overall: score(), relevance: score(), trainer: score(), materials: score(), recommend: score() },
          answers: {},
        };
        responses.push(response);
        // Deterministic (so a run can resume) but in no order: like the product's random keys.
        const responseId = createHash('sha256').update(`${t.id}#f${number}`).digest('base64url').slice(0, 12);
        items.push({ ...feedbackKeys.response(t.id, responseId), type: entityTypes.feedbackResponse, ...response });
        items.push({ ...feedbackKeys.givenByEmail(t.id, participant.email), type: entityTypes.feedbackGiven, trainingId: t.id });
        items.push({ ...feedbackKeys.givenBySub(t.id, subOf(participant.email)), type: entityTypes.feedbackGiven, trainingId: t.id });
      }
      sequence++;
      const region = regions.find((candidate) => candidate.id === t.region)!;
      const issuedAt = t.closedAt!;
      const certificate: Certificate = {
        certificateId: `${t.id}-c${number}`,
        trainingId: t.id,
        registrationId,
        number: certificateNumber(year, region.code, sequence),
        verificationCode: createHash('sha256').update(`${t.id}#${number}`).digest('hex').slice(0, 10).toUpperCase(),
        holderEmail: participant.email,
        holderName: participant.name,
        language: 'kk',
        trainingTitle: t.title,
        hours: t.hours,
        ects: 1,
        sessionDates: t.sessions.map((session) => session.startsAt),
        trainerName: t.trainer.name,
        trainerSub: t.trainer.sub,
        region: t.region,
        issuer: { ...CERTIFICATE_ISSUER },
        issuedAt,
        validUntil: validUntilFor(issuedAt),
        level: t.level,
        trainerCertificateId: t.qualifyingCertificateId ?? '',
        trainerCertificateNumber: t.qualifyingCertificateNumber ?? '',
        cascadeRootId: t.cascadeRootId!,
        status: rng() < REVOKED_SHARE ? 'revoked' : 'valid',
        pdfStoredAt: issuedAt,
      };
      items.push({
        ...certificateKeys.item(certificate.certificateId),
        ...certificateKeys.byHolder(certificate.holderEmail, certificate.issuedAt, certificate.certificateId),
        type: entityTypes.certificate,
        ...certificate,
      });
      certificates.push(certificate);
    });
    if (t.status === 'closed') {
      // The window of a past training has ended: its results were released.
      const ratingsReleased = meetsMinimum(responses.length, feedbackMinimumResponses);
      items.push({
        ...feedbackKeys.state(t.id),
        type: entityTypes.feedbackState,
        trainingId: t.id,
        responses: responses.length,
        releasedAt: new Date(Date.parse(t.closedAt!) + 30 * DAY).toISOString(),
        releaseReason: 'window_ended',
        confirmedAtRelease: participants.length,
        ratingsReleased,
        ...(ratingsReleased ? { ratings: tallyRatings(responses) } : {}),
      });
    }
    return certificates;
  };

  const prefix = `syn${year}-n${index}`;
  const nationalTrainer = { email: `syn-national-${index % 5}@synthetic.kz`, name: `${GIVEN[index % GIVEN.length]!} ${FAMILY[index % FAMILY.length]!}` };
  const nationalStart = Date.UTC(year, 0, 12) + (index % 60) * DAY;
  const national = training(prefix, 0, 'astana', nationalTrainer, nationalStart);
  const instructors = regions.map(() => person(prefix));
  const instructorCertificates = deliver(national, instructors);
  const nationalEnd = Date.parse(national.sessions.at(-1)!.endsAt);

  instructorCertificates.forEach((instructorCertificate, r) => {
    const instructor = instructors[r]!;
    const region = regions[r]!.id;
    for (let k = 0; k < LEVEL1_PER_INSTRUCTOR; k++) {
      const start = nationalEnd + (14 + Math.floor(rng() * 45) + k * 30) * DAY;
      const level1 = training(`${prefix}-r${r}-t${k}`, 1, region, instructor, start, instructorCertificate, national.id);
      const teachers = Array.from({ length: PARTICIPANTS }, () => person(prefix));
      const certified = deliver(level1, teachers);
      certified.forEach((certificate, c) => {
        if (rng() >= SHARE_DELIVERING_LEVEL2) return;
        const level1End = Date.parse(level1.sessions.at(-1)!.endsAt);
        const level2 = training(`${prefix}-r${r}-t${k}-c${c}`, 2, region, teachers[c]!, level1End + (14 + Math.floor(rng() * 75)) * DAY, certificate, national.id);
        deliver(level2, Array.from({ length: PARTICIPANTS }, () => person(prefix)));
      });
    }
  });
  return items;
}


export interface SyntheticResult {
  nationals: number;
  items: number;
  certificates: number;
  resumedAt: number;
}

/** Writes the year national training by national training; a checkpoint after each one makes it resumable. */
export async function seedSynthetic(options: {
  teachers: number;
  year: number;
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}): Promise<SyntheticResult> {
  const total = nationalCount(options.teachers);
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName, Key: syntheticKeys.progress(options.year), ConsistentRead: true }));
  const resumedAt = Item && Item.total === total ? Number(Item.next) : 0;
  let items = 0;
  let certificates = 0;
  options.onProgress?.(resumedAt, total);
  for (let index = resumedAt; index < total; index++) {
    const batch = nationalCascade(options.year, index, index * CERTIFICATES_PER_NATIONAL * 2);
    await batchWrite(batch.map((item) => ({ PutRequest: { Item: item } })), options.concurrency ?? 8);
    items += batch.length;
    certificates += batch.filter((item) => item.type === entityTypes.certificate).length;
    await documentClient.send(
      new PutCommand({ TableName: tableName, Item: { ...syntheticKeys.progress(options.year), type: 'SyntheticProgress', next: index + 1, total } }),
    );
    options.onProgress?.(index + 1, total);
  }
  return { nationals: total, items, certificates, resumedAt };
}
