import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Principal } from '../shared/auth/principal';
import { clock } from '../shared/clock';
import { createTraining, publishTraining } from '../shared/domain/training';
import { createTrainingSchema, type CreateTrainingInput } from '../shared/schemas/training';
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
}

function demoTrainings(): DemoTraining[] {
  return [
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
        level: 2,
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
        level: 2,
        hours: 18,
        capacity: 3,
        sessions: dailySessions(21, 3, 'Алматы, Дворец школьников'),
      }),
    },
  ];
}

/** Idempotent: a demo training that already exists is left as it is. */
export async function seedDemoData(): Promise<{ created: number; existing: number }> {
  let created = 0;
  let existing = 0;
  for (const demo of demoTrainings()) {
    const trainer = principalOf(demo.trainer);
    const draft = createTraining(demo.input, trainer, clock.now(), (() => {
      let first = true;
      let sessionNumber = 0;
      return () => (first ? ((first = false), demo.id) : `${demo.id}-s${++sessionNumber}`);
    })());
    try {
      await insertTraining(publishTraining(draft, trainer, clock.now()));
      created++;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      existing++;
    }
  }
  return { created, existing };
}
