/**
 * The follow-up impact survey: the scheduled invitations, reminders and releases (part of the
 * `reminders` job), a teacher's form and answer, and the coordinators' report and candidates.
 *
 * Nothing here logs what was said or who said it. An answer is stored without identity
 * (store/survey); a wave's results are released once, under the feedback rule and minimum
 * (domain/feedback through domain/survey), and fix what every later read returns. The one named
 * item is the opt-in "I would like to become a trainer of the next level", sent on its own.
 */
import type { Principal } from '../auth/principal';
import { validUntilFor } from '../domain/certificate';
import { clock } from '../clock';
import { surveyIn, surveyQuestionIds, type LocalizedSurvey, type SurveyQuestionId } from '../config/follow-up-survey';
import { findRegion, regions as allRegions } from '../config/regions';
import type { Language } from '../locale/language';
import { cascadeMaxDepth } from '../domain/cascade';
import { feedbackMinimumResponses, meetsMinimum, type ReleaseReason } from '../domain/feedback';
import { nextLevelOf } from '../domain/renewal';
import {
  appliedCount,
  certificateRevokedForSurvey,
  invitationWindow,
  isInvitationDue,
  isReminderDue,
  parseSurveyId,
  SURVEY_REMINDER_DAYS,
  surveyAlreadyAnswered,
  surveyClosed,
  surveyDelays,
  surveyDueAt,
  surveyEmailKey,
  surveyIdOf,
  surveyReleased,
  surveySearchRange,
  tallySurvey,
  waveReleaseDue,
  type SurveyDelay,
} from '../domain/survey';
import { surveyDimensionsOf, surveyMetricsOf, type SurveyMetrics } from '../domain/survey-aggregates';
import { DAY_MS } from '../clock';
import { ConflictError, NotFoundError } from '../errors';
import { titleIn } from '../locale/title';
import { sendEmailOnce } from '../mail/send-once';
import { tallySendFailure, type SendTally } from './send-tally';
import { surveyEmail } from '../mail/survey-emails';
import { ANSWER_MAX_LENGTH } from '../schemas/feedback';
import { COLLEAGUES_MAX, type SurveyAnswerBody, type SurveyAnswersPart } from '../schemas/survey';
import { surveyMonths } from '../store/aggregates';
import { certificatesByIds } from '../store/cascade';
import { findCertificate, type Certificate } from '../store/certificates';
import { alreadySentEmails } from '../store/email-claims';
import { certificatesExpiringBetween, type ExpiringCertificate } from '../store/renewal';
import {
  candidatesOfRegion,
  emailsThatAnsweredWave,
  findCandidate,
  findInvitation,
  hasAnsweredWave,
  inviteToSurvey,
  listSurveyResponses,
  readWaveState,
  saveCandidate,
  submitSurveyResponse,
  writeWaveRelease,
  type StoredWaveState,
  type SurveyInvitation,
} from '../store/survey';
import { findTraining } from '../store/trainings';
import type { Training } from '../schemas/training';
import { assertMayReadRegion, readableRegions, reportMonths, type LocalizedName } from './reports';
import { listTopics } from './topics';
import { inParallel } from './in-parallel';

const SEND_CONCURRENCY = 8;

export interface SurveyRunResult extends SendTally {
  invited: number;
  reminded: number;
  released: number;
  /** Due, but their wave's results were already released (a certificate issued very late). */
  late: number;
  stoppedEarly: boolean;
}

/** The certificates issued in [from, to], through the expiry index (validUntil is issue + validity). */
function certificatesIssuedBetween(region: string, from: string, to: string): Promise<ExpiringCertificate[]> {
  return certificatesExpiringBetween(region, validUntilFor(from), validUntilFor(to));
}

async function inviteOne(certificate: ExpiringCertificate, months: SurveyDelay, now: Date, result: SurveyRunResult): Promise<void> {
  const window = invitationWindow(now.toISOString());
  const fresh: SurveyInvitation = {
    certificateId: certificate.certificateId,
    months,
    trainingId: certificate.trainingId,
    holderEmail: certificate.holderEmail,
    region: certificate.region,
    ...window,
  };
  const outcome = await inviteToSurvey(fresh);
  if (outcome === 'released') {
    result.late += 1;
    return;
  }
  // An earlier run wrote it and its email did not go out: its window stands.
  const invitation = outcome === 'exists' ? ((await findInvitation(certificate.certificateId, months)) ?? fresh) : fresh;
  const surveyId = surveyIdOf(certificate.certificateId, months);
  const sent = await sendEmailOnce(surveyEmailKey('survey-invite', certificate.certificateId, months), () =>
    surveyEmail(certificate, surveyId, months, invitation.closesAt, 'invitation'),
  );
  if (sent === 'sent') result.invited += 1;
}

async function remindOne(certificate: ExpiringCertificate, months: SurveyDelay, now: Date, answered: () => Promise<Set<string>>, result: SurveyRunResult) {
  const invitation = await findInvitation(certificate.certificateId, months);
  if (!invitation || !isReminderDue(invitation, now)) return;
  if ((await answered()).has(certificate.holderEmail)) return;
  const sent = await sendEmailOnce(surveyEmailKey('survey-reminder', certificate.certificateId, months), () =>
    surveyEmail(certificate, surveyIdOf(certificate.certificateId, months), months, invitation.closesAt, 'reminder'),
  );
  if (sent === 'sent') result.reminded += 1;
}

/**
 * The scheduled part: for each delay and region, the certificates issued in the window that
 * matters now (one Query per month partition of the expiry index, never a Scan). Each due
 * invitation, and a week later each reminder to someone who has not answered, is claimed under a
 * key per (kind, certificate, wave), so a second tick or two runs at once send nothing twice; then
 * every wave seen is released if its rule says so. A revoked certificate is never surveyed.
 */
export async function sendDueSurveys({ shouldStop = () => false }: { shouldStop?: () => boolean } = {}): Promise<SurveyRunResult> {
  const now = clock.now();
  const result: SurveyRunResult = { invited: 0, reminded: 0, released: 0, late: 0, inFlight: 0, failed: 0, errorNames: [], stoppedEarly: false };
  const guarded = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      tallySendFailure(result, error);
    }
  };
  for (const months of surveyDelays) {
    const range = surveySearchRange(now, months);
    for (const region of allRegions) {
      if (shouldStop()) {
        result.stoppedEarly = true;
        return result;
      }
      const certificates = (await certificatesIssuedBetween(region.id, range.from, range.to)).filter((certificate) => certificate.status !== 'revoked');
      const keys = (certificate: ExpiringCertificate) => ({
        invite: surveyEmailKey('survey-invite', certificate.certificateId, months),
        reminder: surveyEmailKey('survey-reminder', certificate.certificateId, months),
      });
      // A cheap batch read of the claims spares a claim attempt per certificate at every tick.
      const sent = await alreadySentEmails(certificates.flatMap((certificate) => Object.values(keys(certificate))));
      const answeredByWave = new Map<string, Promise<Set<string>>>();
      const answered = (trainingId: string) => () => {
        if (!answeredByWave.has(trainingId)) answeredByWave.set(trainingId, emailsThatAnsweredWave(trainingId, months));
        return answeredByWave.get(trainingId)!;
      };
      await inParallel(certificates, SEND_CONCURRENCY, (certificate) =>
        guarded(async () => {
          const { invite, reminder } = keys(certificate);
          if (!sent.has(invite)) {
            if (isInvitationDue(certificate.issuedAt, months, now)) await inviteOne(certificate, months, now, result);
            return;
          }
          // The reminder comes at least a week after the invitation, which came no earlier than due.
          const earliestReminder = Date.parse(surveyDueAt(certificate.issuedAt, months)) + SURVEY_REMINDER_DAYS * DAY_MS;
          if (!sent.has(reminder) && now.getTime() >= earliestReminder) {
            await remindOne(certificate, months, now, answered(certificate.trainingId), result);
          }
        }),
      );
      for (const trainingId of new Set(certificates.map((certificate) => certificate.trainingId))) {
        await guarded(async () => {
          const [state, stored] = await Promise.all([readWaveState(trainingId, months), findTraining(trainingId)]);
          if (!stored) return;
          const due = waveReleaseDue(stored.training, months, state, now);
          if (due && (await releaseWave(trainingId, months, due)).releasedAt !== undefined) result.released += 1;
        });
      }
    }
  }
  return result;
}

const RELEASE_ATTEMPTS = 5;

/** Releases a wave's results once: the tallies, when at least the minimum answered, and the counts. */
export async function releaseWave(trainingId: string, months: number, reason: ReleaseReason): Promise<StoredWaveState> {
  for (let attempt = 0; attempt < RELEASE_ATTEMPTS; attempt++) {
    const state = await readWaveState(trainingId, months);
    if (state.releasedAt !== undefined) return state;
    const responses = await listSurveyResponses(trainingId, months);
    const tallies = meetsMinimum(responses.length, feedbackMinimumResponses) ? tallySurvey(responses) : undefined;
    const release = {
      trainingId,
      months,
      responses: responses.length,
      releasedAt: clock.now().toISOString(),
      reason,
      invited: state.invited,
      ...(tallies ? { tallies: { ...tallies, appliedCount: appliedCount(tallies) } } : {}),
    };
    if ((await writeWaveRelease(release)) === 'released') return readWaveState(trainingId, months);
  }
  throw new ConflictError('Answers kept arriving while the results were being released. Try again in a moment.', 'concurrent_update');
}

/** The survey behind an id, if it is the caller's: anyone else's (or none) is simply not found. */
async function ownSurvey(principal: Principal, surveyId: string): Promise<{ certificate: Certificate; invitation: SurveyInvitation; months: SurveyDelay; training: Training | undefined }> {
  const parsed = parseSurveyId(surveyId);
  const notFound = new NotFoundError('No survey of yours has this id. Open the link from your survey email, signed in with the account the certificate was issued to.');
  if (!parsed) throw notFound;
  const [certificate, invitation] = await Promise.all([findCertificate(parsed.certificateId), findInvitation(parsed.certificateId, parsed.months)]);
  if (!certificate || !invitation || certificate.holderEmail !== principal.email.toLowerCase()) throw notFound;
  if (certificate.status === 'revoked') throw certificateRevokedForSurvey();
  const training = (await findTraining(certificate.trainingId))?.training;
  return { certificate, invitation, months: parsed.months, training };
}

export interface SurveyView extends LocalizedSurvey {
  surveyId: string;
  trainingTitle: string;
  months: number;
  invitedAt: string;
  closesAt: string;
  /** Answers are taken now (open, not answered by this person, results not released). */
  open: boolean;
  answered: boolean;
  /** When the wave's results were released; null until then. */
  releasedAt: string | null;
  minimumResponses: number;
  answerMaxLength: number;
  colleaguesMax: number;
  /** The named opt-in: offered when the certificate lets its holder train a next level. */
  optIn: { offered: boolean; nextLevel: number | null; wouldTrain: boolean };
}

export async function surveyFor(principal: Principal, surveyId: string, language: Language | undefined): Promise<SurveyView> {
  const { certificate, invitation, months } = await ownSurvey(principal, surveyId);
  const [state, answered, candidate] = await Promise.all([
    readWaveState(certificate.trainingId, months),
    hasAnsweredWave(certificate.trainingId, months, principal.sub),
    findCandidate(certificate.region, certificate.holderEmail, certificate.trainingId),
  ]);
  const lang = language ?? certificate.language;
  const nextLevel = nextLevelOf(certificate.level, cascadeMaxDepth);
  return {
    surveyId,
    trainingTitle: titleIn(certificate.trainingTitle, lang),
    months,
    invitedAt: invitation.invitedAt,
    closesAt: invitation.closesAt,
    open: clock.now().getTime() < Date.parse(invitation.closesAt) && state.releasedAt === undefined && !answered,
    answered,
    releasedAt: state.releasedAt ?? null,
    minimumResponses: feedbackMinimumResponses,
    answerMaxLength: ANSWER_MAX_LENGTH,
    colleaguesMax: COLLEAGUES_MAX,
    optIn: { offered: nextLevel !== undefined, nextLevel: nextLevel ?? null, wouldTrain: candidate !== undefined && !candidate.withdrawn },
    ...surveyIn(lang, feedbackMinimumResponses),
  };
}

function givenAnswers(body: SurveyAnswersPart): Partial<Record<SurveyQuestionId, string>> {
  const given: Partial<Record<SurveyQuestionId, string>> = {};
  for (const id of surveyQuestionIds) {
    const answer = body.answers[id];
    if (answer) given[id] = answer;
  }
  return given;
}

export type SurveyAnswerResult = { surveyId: string; status: 'submitted' } | { surveyId: string; status: 'candidate'; wouldTrain: boolean };

/**
 * A teacher's answer (anonymous, once) or their named opt-in (any number of times while open).
 * Closed → 409 with when; answered already → 409; revoked → 410; not theirs → 404.
 */
export async function answerSurvey(principal: Principal, surveyId: string, body: SurveyAnswerBody): Promise<SurveyAnswerResult> {
  const { certificate, invitation, months, training } = await ownSurvey(principal, surveyId);
  const now = clock.now();
  if (now.getTime() >= Date.parse(invitation.closesAt)) throw surveyClosed(invitation.closesAt);
  if (body.part === 'candidate') return optIn(certificate, training, months, body.wouldTrain, surveyId);

  const outcome = await submitSurveyResponse(
    { trainingId: certificate.trainingId, months, sub: principal.sub, email: certificate.holderEmail, certificateId: certificate.certificateId },
    { applied: body.applied, ratings: body.ratings, colleagues: body.colleagues, forms: body.forms, answers: givenAnswers(body) },
  );
  switch (outcome) {
    case 'submitted':
      break;
    case 'already_answered':
      throw surveyAlreadyAnswered();
    case 'released': {
      const state = await readWaveState(certificate.trainingId, months);
      throw surveyReleased(state.releasedAt ?? now.toISOString());
    }
    case 'certificate_revoked':
      throw certificateRevokedForSurvey();
  }
  if (training) {
    const state = await readWaveState(certificate.trainingId, months);
    // The last invited person's answer releases the wave at once; a lost race is the job's to finish.
    if (waveReleaseDue(training, months, state, clock.now()) === 'all_answered') {
      await releaseWave(certificate.trainingId, months, 'all_answered').catch(() => undefined);
    }
  }
  return { surveyId, status: 'submitted' };
}

async function optIn(
  certificate: Certificate,
  training: Training | undefined,
  months: number,
  wouldTrain: boolean,
  surveyId: string,
): Promise<SurveyAnswerResult> {
  const nextLevel = nextLevelOf(certificate.level, cascadeMaxDepth);
  if (nextLevel === undefined || !training) {
    throw new ConflictError(
      `Your certificate is of level ${certificate.level}, the deepest level of this programme's cascade, so there is no next level to train for. Your answers to the survey are still welcome.`,
      'no_next_level',
    );
  }
  await saveCandidate({
    region: certificate.region,
    email: certificate.holderEmail,
    trainingId: certificate.trainingId,
    fullName: certificate.holderName,
    certificateId: certificate.certificateId,
    certificateNumber: certificate.number,
    level: certificate.level,
    nextLevel,
    topic: training.topic,
    trainingTitle: certificate.trainingTitle,
    months,
    updatedAt: clock.now().toISOString(),
    withdrawn: !wouldTrain,
  });
  return { surveyId, status: 'candidate', wouldTrain };
}

export interface SurveyReport {
  regions: string[];
  from: string;
  to: string;
  minimumResponses: number;
  totals: SurveyMetrics;
  byRegion: { region: string; name: LocalizedName; metrics: SurveyMetrics }[];
  byLevel: { level: number; metrics: SurveyMetrics }[];
  byTopic: { topic: string; name: LocalizedName; metrics: SurveyMetrics }[];
  byMonth: { month: string; metrics: SurveyMetrics }[];
}

function regionsAsked(principal: Principal, region: string | undefined): string[] {
  if (region === undefined) return readableRegions(principal);
  assertMayReadRegion(principal, region);
  return [region];
}

/**
 * Per region, level, topic and month (the month of the training's first session): response rate,
 * application rate, colleagues reached and candidates, from the survey month items only (one Query
 * of at most 24 items per region). Released waves only; every figure beyond counts needs at least
 * the minimum responses behind it.
 */
export async function surveyReport(principal: Principal, query: { region?: string; from?: string; to?: string }): Promise<SurveyReport> {
  const regions = regionsAsked(principal, query.region);
  const { from, to, months } = reportMonths(query);
  const [perRegion, topics] = await Promise.all([Promise.all(regions.map((region) => surveyMonths(region, from, to))), listTopics()]);
  const items = perRegion.flat();
  const topicNames = new Map(topics.map((topic) => [topic.id, topic.name]));
  const minimum = feedbackMinimumResponses;
  const { levels, topics: counted } = surveyDimensionsOf(items);
  const allLevels = [...new Set([...Array.from({ length: cascadeMaxDepth + 1 }, (_, level) => level), ...levels])].sort((a, b) => a - b);
  return {
    regions,
    from,
    to,
    minimumResponses: minimum,
    totals: surveyMetricsOf(items, {}, minimum),
    byRegion: regions.map((region, index) => ({ region, name: findRegion(region)!.name, metrics: surveyMetricsOf(perRegion[index]!, {}, minimum) })),
    byLevel: allLevels.map((level) => ({ level, metrics: surveyMetricsOf(items, { level }, minimum) })),
    byTopic: counted.map((topic) => ({ topic, name: topicNames.get(topic) ?? { kk: topic, ru: topic, en: topic }, metrics: surveyMetricsOf(items, { topic }, minimum) })),
    byMonth: months.map((month) => ({ month, metrics: surveyMetricsOf(items.filter((item) => item.sk === `MONTH#${month}`), {}, minimum) })),
  };
}

export interface SurveyCandidatesReport {
  regions: string[];
  items: {
    region: string;
    fullName: string;
    email: string;
    certificateNumber: string;
    level: number;
    nextLevel: number;
    trainingId: string;
    trainingTitle: { kk?: string; ru?: string; en?: string };
    topic: string;
    months: number;
    since: string;
  }[];
}

/**
 * The named candidates for the next level: a coordinator their region's, admins every region's.
 * Opted out and revoked ones are left out.
 */
export async function surveyCandidatesReport(principal: Principal, query: { region?: string }): Promise<SurveyCandidatesReport> {
  const regions = regionsAsked(principal, query.region);
  const candidates = (await Promise.all(regions.map((region) => candidatesOfRegion(region)))).flat().filter((candidate) => !candidate.withdrawn);
  const statuses = await certificatesByIds(candidates.map((candidate) => candidate.certificateId));
  const collator = new Intl.Collator('kk');
  return {
    regions,
    items: candidates
      .filter((candidate) => statuses.get(candidate.certificateId)?.status !== 'revoked')
      .map((candidate) => ({
        region: candidate.region,
        fullName: candidate.fullName,
        email: candidate.email,
        certificateNumber: candidate.certificateNumber,
        level: candidate.level,
        nextLevel: candidate.nextLevel,
        trainingId: candidate.trainingId,
        trainingTitle: candidate.trainingTitle,
        topic: candidate.topic,
        months: candidate.months,
        since: candidate.updatedAt,
      }))
      .sort((a, b) => a.region.localeCompare(b.region) || collator.compare(a.fullName, b.fullName)),
  };
}
