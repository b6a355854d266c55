import { describe, expect, it } from 'vitest';
import { followUpSurvey, parseSurveyConfig, surveyIn } from '../../shared/config/follow-up-survey';
import type { TrainingFacts } from '../../shared/domain/aggregates';
import { addMonths, invitationWindow, isInvitationDue, isReminderDue, parseSurveyId, surveyDelaysFrom, surveyIdOf, tallySurvey, waveReleaseDue, type SurveyResponse } from '../../shared/domain/survey';
import { surveyMetricsOf, surveyWaveContribution } from '../../shared/domain/survey-aggregates';
import { surveyEmail } from '../../shared/mail/survey-emails';

const DAY = 86_400_000;

describe('survey delays (SURVEY_DELAYS_MONTHS)', () => {
  it('defaults to 3 and takes 6 and 12 beside it', () => {
    expect(surveyDelaysFrom(undefined)).toEqual([3]);
    expect(surveyDelaysFrom('')).toEqual([3]);
    expect(surveyDelaysFrom('12, 3,6')).toEqual([3, 6, 12]);
  });
  it.each(['6', '3,3', '3,4', 'three', '3,6,12,24', '0'])('refuses %s', (value) => {
    expect(() => surveyDelaysFrom(value)).toThrow(RangeError);
  });
});

describe('survey texts (config/follow-up-survey.json)', () => {
  it('has every text in every language, and refuses a file missing one', () => {
    for (const language of ['kk', 'ru', 'en'] as const) {
      const survey = surveyIn(language, 5);
      expect(survey.privacy).toContain('5');
      expect(survey.privacy).not.toContain('{minimum}');
      expect(survey.candidate.label.length).toBeGreaterThan(0);
    }
    const broken = structuredClone(followUpSurvey) as unknown as { ratings: { support: { kk?: string } } };
    delete broken.ratings.support.kk;
    expect(() => parseSurveyConfig(broken)).toThrow();
  });
});

describe('survey timing', () => {
  const issuedAt = '2026-01-31T08:00:00.000Z';
  it('is due three calendar months after the certificate, and not after its catch-up', () => {
    const due = Date.parse(addMonths(issuedAt, 3));
    expect(isInvitationDue(issuedAt, 3, new Date(due - 1))).toBe(false);
    expect(isInvitationDue(issuedAt, 3, new Date(due))).toBe(true);
    expect(isInvitationDue(issuedAt, 3, new Date(due + 31 * DAY))).toBe(false);
  });
  it('reminds a week after the invitation, until it closes 30 days after it', () => {
    const window = invitationWindow('2026-05-01T00:00:00.000Z');
    expect(isReminderDue(window, new Date(Date.parse(window.invitedAt) + 6 * DAY))).toBe(false);
    expect(isReminderDue(window, new Date(Date.parse(window.invitedAt) + 7 * DAY))).toBe(true);
    expect(isReminderDue(window, new Date(window.closesAt))).toBe(false);
    expect(Date.parse(window.closesAt) - Date.parse(window.invitedAt)).toBe(30 * DAY);
  });
  it('round-trips survey ids and refuses others', () => {
    expect(parseSurveyId(surveyIdOf('AbC_d-123', 6))).toEqual({ months: 6, certificateId: 'AbC_d-123' });
    for (const id of ['4m-abc', '3m-', '3m-a/b', 'abc']) expect(parseSurveyId(id)).toBeUndefined();
  });
});

const response = (applied: SurveyResponse['applied'], colleagues: number): SurveyResponse => ({
  trainingId: 't',
  months: 3,
  applied,
  ratings: { usefulness: 4, confidence: 3, support: 5 },
  colleagues,
  forms: ['mentoring'],
  answers: {},
});

describe('a wave’s release', () => {
  const training = { sessions: [{ id: 's', startsAt: '2026-01-10T04:00:00.000Z', endsAt: '2026-01-10T07:00:00.000Z' }] };
  it('follows the feedback rule: after the last invitation closed, or once everyone invited answered', () => {
    const state = { responses: 2, invited: 3, lastClosesAt: '2026-06-01T00:00:00.000Z' };
    expect(waveReleaseDue(training, 3, state, new Date('2026-05-31T00:00:00.000Z'))).toBeUndefined();
    expect(waveReleaseDue(training, 3, state, new Date('2026-06-01T00:00:00.000Z'))).toBe('window_ended');
    expect(waveReleaseDue(training, 3, { ...state, responses: 3 }, new Date('2026-05-20T00:00:00.000Z'))).toBe('all_answered');
    expect(waveReleaseDue(training, 3, { ...state, releasedAt: '2026-05-01T00:00:00.000Z' }, new Date('2026-07-01T00:00:00.000Z'))).toBeUndefined();
    expect(waveReleaseDue(training, 3, { responses: 0, invited: 0 }, new Date('2027-01-01T00:00:00.000Z'))).toBeUndefined();
  });
  it('tallies counts and sums, and a report cell shows figures only with the minimum behind them', () => {
    const tallies = tallySurvey([response('yes', 2), response('partly', 3), response('not_yet', 0)]);
    expect(tallies.applied).toEqual({ yes: 1, partly: 1, not_yet: 1 });
    expect(tallies.colleagues).toBe(5);
    expect(tallies.ratings.support).toMatchObject({ count: 3, sum: 15 });
    const facts = { id: 't', region: 'almaty', level: 1, topic: 'teacher-leadership', status: 'closed', title: { kk: 'A' }, sessions: training.sessions, trainer: { sub: 's', name: 'n', email: 'e@x.kz' } } as unknown as TrainingFacts;
    expect(surveyWaveContribution({ responses: 6 }, facts)).toEqual([]);
    const shown = surveyWaveContribution({ releasedAt: 'x', responses: 6, invitedAtRelease: 8, figuresReleased: true, applied: 4, colleagues: 20 }, facts);
    const hidden = surveyWaveContribution({ releasedAt: 'x', responses: 2, invitedAtRelease: 8, figuresReleased: false, applied: 2, colleagues: 9 }, facts);
    const item = (contribution: typeof shown) => contribution[0]!.add;
    expect(surveyMetricsOf([item(shown)], {}, 5)).toMatchObject({ invited: 8, responses: 6, responseRate: 0.75, applicationRate: 0.667, colleaguesReached: 20 });
    expect(surveyMetricsOf([item(hidden)], {}, 5)).toMatchObject({ responses: 2, applicationRate: null, colleaguesReached: 0, withheldResponses: 2 });
  });
});

describe('survey emails', () => {
  it.each([
    ['kk', 'Құрметті Әйгерім Қалиқызы!', 'жабылады'],
    ['ru', 'Здравствуйте, Әйгерім Қалиқызы!', 'закрывается'],
    ['en', 'Dear Әйгерім Қалиқызы,', 'closes on'],
  ] as const)('in %s, with the link and the closing date, Kazakh letters intact', (language, greeting, closes) => {
    const email = surveyEmail(
      { holderEmail: 'a@b.kz', holderName: 'Әйгерім Қалиқызы', language, trainingTitle: { kk: 'Көшбасшылық', en: 'Leadership' }, number: 'DESTT-2026-ALA-000001' },
      '3m-abc',
      3,
      '2026-05-01T00:00:00.000Z',
      'reminder',
    );
    expect(email.text).toContain(greeting);
    expect(email.text).toContain('/surveys/3m-abc?lang=');
    expect(email.text).toContain(closes);
    expect(email.subject).toMatch(/^(Еске салу|Напоминание|Reminder): /);
  });
});
