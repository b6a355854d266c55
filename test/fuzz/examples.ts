import { trainingBody } from '../support/api';
import type { routes } from '../../shared/manifest';
import type { World } from './world';

/**
 * One well-formed body per route that takes one: what the matrix sends so a refusal is about the
 * caller, and what the fuzz suite mutates one field at a time so hostile values get past the
 * schema's first check and into the rules behind it.
 */
export type Example = { json: unknown } | { csv: string };

export function exampleBody(route: keyof typeof routes, world: World): Example | undefined {
  const session = world.closedTraining.sessions[0]!;
  switch (route) {
    case 'createTraining':
      return { json: trainingBody({ region: 'almaty', capacity: 10 }) };
    case 'updateTraining':
      return { json: { capacity: 4, title: { kk: 'Жаңа атау', en: 'New title' }, description: null } };
    case 'cancelTraining':
      return { json: { reason: 'Тест' } };
    case 'register':
      return { json: { fullName: 'Бөгде Адам', school: '№1 мектеп', preferredLanguage: 'kk' } };
    case 'importRegistrations':
      return { csv: 'email,fullName,school\nstranger-import@fuzz.test.kz,Бөгде Адам,№1 мектеп\n' };
    case 'recordAttendance':
      return { json: { records: [{ registrationId: world.registrationId, status: 'present', minutes: Math.round((Date.parse(session.endsAt) - Date.parse(session.startsAt)) / 60_000) }] } };
    case 'importTeamsReport': {
      // The current format's three sections, tab-separated, as Teams writes them (UTF-8 here).
      const at = (offset: number) => new Date(Date.parse(session.startsAt) + offset * 60_000).toISOString().replace('T', ' ').slice(0, 19);
      const report = [
        '1. Summary',
        'Meeting title\tFuzz',
        `Start time\t${at(0)}`,
        `End time\t${at(60)}`,
        '',
        '2. Participants',
        'Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole',
        `Бөгде Адам\t${at(0)}\t${at(60)}\t1h\tstranger@fuzz.test.kz\tstranger@fuzz.test.kz\tAttendee`,
      ].join('\n');
      return { json: { files: [{ name: 'meetingAttendanceReport.csv', content: Buffer.from(report, 'utf8').toString('base64') }], mode: 'preview' } };
    }
    case 'checkIn':
      return { json: { code: 'ABC234' } };
    case 'submitFeedback':
      return {
        json: {
          ratings: { overall: 5, relevance: 4, trainer: 5, materials: 3, recommend: 5 },
          answers: { influence: 'Көп', change: 'Сабақ', sustain: 'Иә', benefits: 'Тәжірибе', challenges: 'Уақыт', unique: 'Жоқ' },
        },
      };
    case 'createJournalEntry':
      return { json: { title: 'Ой', text: 'Бүгінгі сабақ туралы.', language: 'kk', trainingId: world.closedTraining.id } };
    case 'updateJournalEntry':
      return { json: { title: 'Жаңа ой' } };
    case 'shareJournalEntry':
    case 'shareJournalTraining':
      return { json: { shared: true } };
    case 'commentJournalEntry':
      return { json: { text: 'Рақмет, ойлы жазба.' } };
    case 'setJournalPrompts':
      return { json: { prompts: [{ kk: 'Бүгін не үйрендіңіз?' }] } };
    case 'answerSurvey':
      return {
        json: {
          part: 'answers',
          applied: 'partly',
          ratings: { usefulness: 4, confidence: 3, support: 5 },
          colleagues: 4,
          forms: ['mentoring', 'open_lesson'],
          answers: { applicationHow: 'Топтық жұмыс', schoolChange: 'Әдістемелік бірлестік', passedOn: 'Ашық сабақ' },
        },
      };
    case 'revokeCertificate':
      return { json: { reason: 'Тест' } };
    case 'reissueCertificate':
      return { json: { fullName: 'Бөгде Адам', reason: 'Тест' } };
    default:
      return undefined;
  }
}
