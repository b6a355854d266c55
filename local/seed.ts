import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Principal } from '../shared/auth/principal';
import { clock } from '../shared/clock';
import { certificateIdFor, newVerificationCode } from '../shared/certificates/codes';
import { findRegion } from '../shared/config/regions';
import { withLineage } from '../shared/domain/cascade';
import { CERTIFICATE_ISSUER, certificateNumber, numberingYear, validUntilFor } from '../shared/domain/certificate';
import { closeTraining, createTraining, publishTraining } from '../shared/domain/training';
import { designateNationalTrainer } from '../shared/store/cascade';
import { claimCertificate, findCertificate, nextCertificateSequence, type Certificate } from '../shared/store/certificates';
import { createTrainingSchema, type CreateTrainingInput, type Training } from '../shared/schemas/training';
import { insertTraining } from '../shared/store/trainings';
import { demoAccounts } from './demo-accounts';
import { subjectFor, type TokenRequest } from './tokens';

function principalOf(account: TokenRequest): Principal {
  return { sub: subjectFor(account.email), email: account.email, name: account.name, groups: [...account.groups] };
}

/** Sessions at 10:00–13:00 Almaty time (UTC+5), `firstInDays` from now, one a day. */
function dailySessions(firstInDays: number, count: number, venue: string, onlineUrl?: string) {
  const start = new Date(clock.nowMs() + firstInDays * 86_400_000);
  start.setUTCHours(5, 0, 0, 0);
  return Array.from({ length: count }, (_, day) => {
    const startsAt = new Date(start.getTime() + day * 86_400_000);
    return {
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 3 * 3_600_000).toISOString(),
      venue,
      ...(onlineUrl ? { onlineUrl } : {}),
    };
  });
}

interface DemoTraining {
  id: string;
  trainer: TokenRequest;
  input: CreateTrainingInput;
  /** Held in the past and closed (the national training that certified the regional trainer). */
  past?: boolean;
}

/** The national training, held last year, whose certificate lets the regional trainer deliver level 1. */
const PAST_NATIONAL_TRAINING = 'demo-national-tot-past';
const REGIONAL_TRAINER_REGISTRATION = 'demo-reg-regional-trainer';

function demoTrainings(): DemoTraining[] {
  return [
    {
      id: PAST_NATIONAL_TRAINING,
      trainer: demoAccounts.nationalTrainer,
      past: true,
      input: createTrainingSchema.parse({
        title: { kk: 'Көшбасшы мұғалім: өңірлік тренерлер', ru: 'Учитель-лидер: региональные тренеры', en: 'Teachers as Leaders: regional trainers' },
        topic: 'teacher-leadership',
        language: 'ru',
        region: 'astana',
        level: 0,
        hours: 72,
        ects: 1,
        capacity: 40,
        sessions: dailySessions(-120, 5, 'Астана, Мәңгілік Ел даңғылы 8'),
      }),
    },
    {
      id: 'demo-national-tot',
      trainer: demoAccounts.nationalTrainer,
      input: createTrainingSchema.parse({
        title: { kk: 'Көшбасшы мұғалім: тренерлерді даярлау', ru: 'Учитель-лидер: подготовка тренеров', en: 'Teachers as Leaders: training of trainers' },
        description: 'National training of the regional instructors who will lead the programme in their regions.',
        topic: 'teacher-leadership',
        language: 'ru',
        region: 'astana',
        level: 0,
        hours: 72,
        ects: 1,
        capacity: 40,
        sessions: dailySessions(10, 5, 'Астана, Мәңгілік Ел даңғылы 8', 'https://meet.example.org/tot-astana'),
      }),
    },
    {
      id: 'demo-almaty-lesson-study',
      trainer: demoAccounts.regionalTrainer,
      input: createTrainingSchema.parse({
        title: { kk: 'Сабақты зерттеу: мұғалімнің көшбасшылығы', en: 'Lesson Study and teacher leadership' },
        topic: 'lesson-study',
        language: 'kk',
        region: 'almaty',
        level: 1,
        hours: 24,
        ects: 1,
        capacity: 25,
        sessions: dailySessions(14, 4, 'Алматы, №12 мектеп-гимназия', 'https://meet.example.org/lesson-study'),
      }),
    },
    {
      id: 'demo-almaty-action-research',
      trainer: demoAccounts.regionalTrainer,
      input: createTrainingSchema.parse({
        title: { ru: 'Исследование в действии для учителей', en: 'Action research for teachers' },
        topic: 'action-research',
        language: 'ru',
        region: 'almaty',
        level: 1,
        hours: 18,
        capacity: 3,
        sessions: dailySessions(21, 3, 'Алматы, Дворец школьников'),
      }),
    },
  ];
}

/**
 * The regional trainer's certificate from the past national training: what lets them publish
 * level-1 trainings. Its id is derived like any certificate's, so seeding twice writes it once.
 */
async function seedRegionalTrainerCertificate(national: Training): Promise<Certificate> {
  const certificateId = certificateIdFor(national.id, REGIONAL_TRAINER_REGISTRATION);
  const existing = await findCertificate(certificateId);
  if (existing) return existing;
  const region = findRegion(national.region)!;
  const issuedAt = national.closedAt ?? clock.now().toISOString();
  const year = numberingYear(issuedAt);
  const account = demoAccounts.regionalTrainer;
  const certificate: Certificate = {
    certificateId,
    trainingId: national.id,
    registrationId: REGIONAL_TRAINER_REGISTRATION,
    number: certificateNumber(year, region.code, await nextCertificateSequence(region.code, year)),
    verificationCode: newVerificationCode(),
    holderEmail: account.email,
    holderName: account.name,
    language: 'kk',
    trainingTitle: national.title,
    hours: national.hours,
    ...(national.ects !== undefined ? { ects: national.ects } : {}),
    sessionDates: national.sessions.map((session) => session.startsAt),
    trainerName: national.trainer.name,
    trainerSub: national.trainer.sub,
    region: national.region,
    issuer: { ...CERTIFICATE_ISSUER },
    issuedAt,
    validUntil: validUntilFor(issuedAt),
    level: 0,
    trainerCertificateId: '',
    trainerCertificateNumber: '',
    cascadeRootId: national.id,
    status: 'valid',
  };
  if ((await claimCertificate(certificate)) === 'claimed') return certificate;
  return (await findCertificate(certificateId))!;
}

/**
 * Idempotent: a demo training that already exists is left as it is. The national trainer is
 * designated (level 0) and the regional trainer holds a level-0 certificate, so both can publish.
 */
export async function seedDemoData(): Promise<{ created: number; existing: number }> {
  let created = 0;
  let existing = 0;
  await designateNationalTrainer({
    email: demoAccounts.nationalTrainer.email,
    designatedBy: subjectFor(demoAccounts.admin.email),
    designatedAt: clock.now().toISOString(),
  });
  let qualifying: Certificate | undefined;
  for (const demo of demoTrainings()) {
    const trainer = principalOf(demo.trainer);
    const draft = createTraining(demo.input, trainer, clock.now(), (() => {
      let first = true;
      let sessionNumber = 0;
      return () => (first ? ((first = false), demo.id) : `${demo.id}-s${++sessionNumber}`);
    })());
    let training: Training;
    if (demo.past) {
      // Published before its sessions, closed after them: as it happened.
      const published = withLineage(publishTraining(draft, trainer, new Date(Date.parse(draft.sessions[0]!.startsAt) - 86_400_000)), undefined);
      training = closeTraining(published, trainer, new Date(Date.parse(draft.sessions.at(-1)!.endsAt) + 3_600_000));
    } else {
      const published = publishTraining(draft, trainer, clock.now());
      training = withLineage(
        published,
        published.level > 0 && qualifying
          ? {
              qualifyingCertificateId: qualifying.certificateId,
              qualifyingCertificateNumber: qualifying.number,
              qualifyingCertificateIssuedAt: qualifying.issuedAt,
              parentTrainingId: qualifying.trainingId,
              cascadeRootId: qualifying.cascadeRootId ?? qualifying.trainingId,
            }
          : undefined,
      );
    }
    try {
      await insertTraining(training);
      created++;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      existing++;
    }
    if (demo.id === PAST_NATIONAL_TRAINING) qualifying = await seedRegionalTrainerCertificate(training);
  }
  return { created, existing };
}
