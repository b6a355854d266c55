/**
 * A demo that has lived a year: a finished cascade over the past months, played through the
 * product's own use cases with the local clock moved to each moment, so every record, email,
 * certificate and aggregate is what real activity would have left behind.
 *
 * National training (level 0) → eight regional instructors → each runs a level-1 training in their
 * region (the Almaty demo trainer is a participant of one, so they hold a level-1 certificate and
 * can publish level 2) → three certified teachers run level-2 trainings. Attendance, feedback
 * (released when each window ended, under the anonymity rule), certificates (two revoked, one
 * reissued) and an older national training whose certificates expire within two months.
 *
 * Deterministic in what it counts (people, trainings, answers, outcomes); ids that the product
 * draws at random (registrations, certificates) differ between runs. Idempotent: a table that has
 * the history already is left as it is.
 */
import type * as z from 'zod';
import { setClock, resetClock, clock } from '../shared/clock';
import type { Principal } from '../shared/auth/principal';
import type { RatingId } from '../shared/config/feedback-form';
import { createTraining as createRule } from '../shared/domain/training';
import { feedbackWindow } from '../shared/domain/feedback';
import { createTrainingSchema, type CreateTrainingInput, type Training } from '../shared/schemas/training';
import { findTraining, insertTraining } from '../shared/store/trainings';
import { findCertificates, type Certificate } from '../shared/store/certificates';
import { listIssuanceTasks } from '../shared/store/issuance';
import { recordAttendance } from '../shared/usecases/attendance';
import { closeTraining } from '../shared/usecases/certificates';
import { reissueCertificate, revokeCertificate } from '../shared/usecases/certificate-lifecycle';
import { releaseFeedback, submitFeedback } from '../shared/usecases/feedback';
import { registerSelf } from '../shared/usecases/registrations';
import { publishTraining } from '../shared/usecases/trainings';
import { demoAccounts } from './demo-accounts';
import { subjectFor } from './tokens';

const DAY = 86_400_000;
const HOUR = 3_600_000;

export const HISTORY_NATIONAL_TRAINING = 'demo-history-national';

interface Someone {
  email: string;
  name: string;
}

function principalOf(person: Someone, groups: Principal['groups']): Principal {
  return { sub: subjectFor(person.email), email: person.email, name: person.name, groups: [...groups] };
}

const GIVEN = ['Айгерім', 'Бауыржан', 'Гүлнар', 'Дәулет', 'Еркежан', 'Жандос', 'Зарина', 'Қайрат', 'Ләззат', 'Мұрат', 'Нұржан', 'Өмір', 'Сәуле', 'Тоғжан', 'Ұлпан', 'Һадия', 'Іңкәр', 'Асқар'];
const FAMILY = ['Сейітова', 'Әбенов', 'Жұмабекқызы', 'Өтепов', 'Үсенова', 'Қасымов', 'Құрманғазиева', 'Бөкейқызы', 'Тоқтаров', 'Ғалымжанов', 'Нұрланқызы', 'Ермекұлы'];

/** The n-th generated person of a group: the same name and address every run. */
function person(group: string, n: number): Someone {
  const index = [...group].reduce((sum, char) => sum + char.charCodeAt(0), n * 7);
  return { email: `${group}.${n}@history.demo.kz`, name: `${GIVEN[index % GIVEN.length]} ${FAMILY[(index >> 1) % FAMILY.length]}` };
}

/** Sessions at 10:00–13:00 Almaty time, one a day, the first `daysAgo` before `now`. */
function sessionsAt(now: number, daysAgo: number, count: number, venue: string) {
  const start = new Date(now - daysAgo * DAY);
  start.setUTCHours(5, 0, 0, 0);
  return Array.from({ length: count }, (_, day) => ({
    startsAt: new Date(start.getTime() + day * DAY).toISOString(),
    endsAt: new Date(start.getTime() + day * DAY + 3 * HOUR).toISOString(),
    venue,
  }));
}

interface Plan {
  id: string;
  trainer: Someone;
  input: CreateTrainingInput;
  participants: Someone[];
  /** Participants (by position) absent from every session but the first: they do not complete. */
  absent: number[];
  /** Participants (by position) who answer the feedback. */
  answering: number[];
}

const answerTexts: Record<string, string[]> = {
  influence: ['Сабақты зерттеу арқылы әріптестеріммен бірге жоспарлай бастадым', 'Өзіме деген сенімім артты, ашық сабақ өткіздім', 'Мектепте шағын зерттеу тобын құрдық', 'Оқушылардың пікірін тыңдауды үйрендім', 'Коучинг тәсілін әдістемелік бірлестікте қолдандым', 'Рефлексия күнделігін жүргізе бастадым'],
  change: ['Сабақ жоспарлауым өзгерді', 'Бағалауды оқушылармен бірге жүргіземін', 'Әріптестерге көмек сұрауға ұялмаймын', 'Топтық жұмысты жиі қолданамын', 'Кері байланысты күн сайын жинаймын', 'Сабақта оқушылар көбірек сөйлейді'],
};

function ratingsFor(seed: number): Record<RatingId, number> {
  const score = (offset: number) => 3 + ((seed * 7 + offset * 3) % 3);
  return { overall: score(0), relevance: score(1), trainer: score(2), materials: score(3), recommend: score(4) };
}

function trainingInput(fields: Partial<z.input<typeof createTrainingSchema>>): CreateTrainingInput {
  return createTrainingSchema.parse({ hours: 24, ects: 1, language: 'kk', capacity: 30, ...fields });
}

async function listCertificatesOfTraining(trainingId: string): Promise<Certificate[]> {
  const tasks = await listIssuanceTasks(trainingId);
  const found = await findCertificates(tasks.flatMap((task) => (task.certificateId ? [task.certificateId] : [])));
  // By holder: registration and certificate ids are random, the generated people are not, so the
  // certificates revoked and reissued below are the same people every run.
  return found.sort((a, b) => a.holderEmail.localeCompare(b.holderEmail));
}

export interface HistoryResult {
  trainings: number;
  certificates: number;
  seconds: number;
  skipped: boolean;
}

/**
 * Plays the history. `waitForIdle` lets the stream consumers catch up after each close, so the
 * certificates carry the moment they belong to and the next level's trainers hold theirs.
 */
export async function seedHistory(waitForIdle: () => Promise<void>): Promise<HistoryResult> {
  const started = Date.now();
  if (await findTraining(HISTORY_NATIONAL_TRAINING)) return { trainings: 0, certificates: 0, seconds: 0, skipped: true };
  const now = clock.nowMs();
  const national = { email: demoAccounts.nationalTrainer.email, name: demoAccounts.nationalTrainer.name };
  const instructorRegions = ['almaty', 'almaty', 'shymkent', 'karaganda', 'abai', 'turkistan', 'east-kazakhstan', 'mangystau'];
  const instructors = instructorRegions.map((_, n) => person('instructor', n));
  const plans: Plan[] = [];
  let trainings = 0;
  let certificates = 0;

  try {
    // Five years less six weeks ago: its certificates expire within two months of today.
    await play({
      id: 'demo-history-2021',
      trainer: national,
      input: trainingInput({
        title: { kk: 'Көшбасшы мұғалім: алғашқы ұлттық оқыту', ru: 'Учитель-лидер: первое национальное обучение', en: 'Teachers as Leaders: the first national training' },
        topic: 'teacher-leadership',
        region: 'astana',
        level: 0,
        sessions: sessionsAt(now, 5 * 365 - 42, 3, 'Астана, Мәңгілік Ел даңғылы 8'),
      }),
      participants: [{ email: demoAccounts.teacher2.email, name: demoAccounts.teacher2.name }, ...Array.from({ length: 5 }, (_, n) => person('pioneer', n))],
      absent: [],
      answering: [0, 1, 2, 3, 4],
    });

    await play({
      id: HISTORY_NATIONAL_TRAINING,
      trainer: national,
      input: trainingInput({
        title: { kk: 'Көшбасшы мұғалім: өңірлік нұсқаушылар', ru: 'Учитель-лидер: региональные инструкторы', en: 'Teachers as Leaders: regional instructors' },
        topic: 'teacher-leadership',
        region: 'astana',
        level: 0,
        hours: 72,
        language: 'ru',
        sessions: sessionsAt(now, 330, 5, 'Астана, Мәңгілік Ел даңғылы 8'),
      }),
      participants: instructors,
      absent: [],
      answering: [0, 1, 2, 3, 4, 5, 6, 7],
    });

    const level1 = instructors.map((instructor, n): Plan => {
      const region = instructorRegions[n]!;
      const teachers = Array.from({ length: 8 }, (_, t) => person(`teacher-${region}-${n}`, t));
      // The Almaty demo trainer learns in the first Almaty training: their level-1 certificate lets them publish level 2.
      if (n === 0) teachers[0] = { email: demoAccounts.regionalTrainer.email, name: demoAccounts.regionalTrainer.name };
      if (n === 1) teachers[0] = { email: demoAccounts.teacher.email, name: demoAccounts.teacher.name };
      return {
        id: `demo-history-l1-${n}`,
        trainer: instructor,
        input: trainingInput({
          title: { kk: 'Сабақты зерттеу: мұғалімнің көшбасшылығы', ru: 'Lesson Study: лидерство учителя', en: 'Lesson Study and teacher leadership' },
          topic: n % 2 === 0 ? 'lesson-study' : 'action-research',
          region,
          level: 1,
          sessions: sessionsAt(now, 270 - n * 18, 3, `${region}, №${10 + n} мектеп`),
        }),
        participants: teachers,
        absent: [7],
        answering: [0, 1, 2, 3, 4, 5],
      };
    });
    for (const plan of level1) await play(plan);

    const level2 = [0, 2, 3].map((n, k): Plan => {
      const region = instructorRegions[n]!;
      const trainer = level1[n]!.participants[n === 0 ? 1 : 0]!;
      return {
        id: `demo-history-l2-${k}`,
        trainer,
        input: trainingInput({
          title: { kk: 'Сыныптағы зерттеу: алғашқы қадамдар', ru: 'Исследование в классе: первые шаги', en: 'Classroom inquiry: first steps' },
          topic: 'action-research',
          region,
          level: 2,
          sessions: sessionsAt(now, 120 - k * 30, 2, `${region}, №${30 + k} мектеп`),
        }),
        participants: Array.from({ length: 6 }, (_, t) => person(`teacher-l2-${k}`, t)),
        absent: [],
        answering: [0, 1, 2, 3, 4],
      };
    });
    for (const plan of level2) await play(plan);

    // Two revoked (a duplicate record, a withdrawn completion) and one reissued for a misspelt name.
    setClock(new Date(now - 20 * DAY));
    const admin = principalOf(demoAccounts.admin, ['admins']);
    const almaty = await listCertificatesOfTraining('demo-history-l1-1');
    const shymkent = await listCertificatesOfTraining('demo-history-l1-2');
    const [first, second] = [almaty.find((item) => item.holderEmail !== demoAccounts.teacher.email), shymkent[0]];
    if (first) await revokeCertificate(admin, first.certificateId, 'Issued twice for the same person; the other record stands.');
    if (second) await revokeCertificate(admin, second.certificateId, 'Attendance corrected after an audit: the hours were not completed.');
    const misspelt = shymkent[1];
    if (misspelt) await reissueCertificate(admin, misspelt.certificateId, { fullName: `${misspelt.holderName} (түзетілген)`, reason: 'The name was misspelt.' });
    await waitForIdle();
  } finally {
    resetClock();
  }
  return { trainings, certificates, seconds: (Date.now() - started) / 1000, skipped: false };

  async function play(plan: Plan): Promise<void> {
    plans.push(plan);
    const trainer = principalOf(plan.trainer, ['trainers']);
    const firstStart = Date.parse(plan.input.sessions[0]!.startsAt);
    setClock(new Date(firstStart - 21 * DAY));
    let sessionNumber = 0;
    const draft = createRule(plan.input, trainer, clock.now(), () => (sessionNumber++ === 0 ? plan.id : `${plan.id}-s${sessionNumber - 1}`));
    await insertTraining(draft);
    const training: Training = await publishTraining(trainer, draft.id);
    trainings++;

    setClock(new Date(firstStart - 14 * DAY));
    const receipts = [];
    for (const participant of plan.participants) {
      receipts.push(await registerSelf(principalOf(participant, ['teachers']), training.id, { fullName: participant.name }));
    }

    for (const [index, session] of training.sessions.entries()) {
      setClock(new Date(Date.parse(session.startsAt) + 2 * HOUR));
      await recordAttendance(trainer, training.id, session.id, {
        records: receipts.map((receipt, position) => ({
          registrationId: receipt.registrationId,
          status: index > 0 && plan.absent.includes(position) ? 'absent' : 'present',
        })),
      });
    }
    const lastEnd = Date.parse(training.sessions.at(-1)!.endsAt);
    setClock(new Date(lastEnd + HOUR));
    for (const position of plan.answering) {
      const participant = plan.participants[position]!;
      const answers = Object.fromEntries(Object.entries(answerTexts).map(([question, texts]) => [question, texts[(position + plans.length) % texts.length]!]));
      await submitFeedback(principalOf(participant, ['teachers']), training.id, { ratings: ratingsFor(position + plans.length), answers });
    }
    await closeTraining(trainer, training.id);
    await waitForIdle();
    certificates += (await listCertificatesOfTraining(training.id)).length;

    // The window ends: the results are released once, as the scheduled job would.
    setClock(new Date(Date.parse(feedbackWindow(training).closesAt) + HOUR));
    const stored = await findTraining(training.id);
    if (stored) await releaseFeedback(stored.training, 'window_ended');
  }
}

