import * as z from '../schemas/zod';
import type { JournalSummary } from '../usecases/journal-stats';
import type { ExpiringQualificationsReport } from '../usecases/renewal';
import type { SurveyCandidatesReport, SurveyReport } from '../usecases/survey';
import type { CascadeReport, MultipliersReport, RegionReport, RegionsReport } from '../usecases/reports';
import { count, localized, localizedFull, named, nullableNumber, replyAs, type RouteResponses } from './reply';

const metrics = named('Metrics', z.object({
  trainingsScheduled: count,
  trainingsHeld: count,
  trainingsCancelled: count,
  registrations: count,
  confirmed: count,
  completed: count,
  certificatesIssued: count,
  certificatesRevoked: count,
  activeMultipliers: count,
  teachersReached: count,
  feedbackResponses: count,
  meanRating: nullableNumber,
  meanRatingWithheld: z.boolean(),
}));

const spreadsheets = ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];

const regions = z.object({ items: z.array(z.object({ region: z.string(), name: localizedFull, metrics })) });

const region = z.object({
  region: z.string(),
  from: z.string(),
  to: z.string(),
  totals: metrics,
  byLevel: z.array(z.object({ level: z.number(), metrics })),
  byTopic: z.array(z.object({ topic: z.string(), name: localizedFull, metrics })),
  byMonth: z.array(z.object({ month: z.string(), metrics })),
});

const cascade = z.object({
  root: z.object({ trainingId: z.string(), title: z.string(), region: z.string(), level: z.number(), trainerName: z.string() }),
  summary: z.object({
    multipliers: count,
    trainingsHeld: count,
    reach: count,
    multiplicationFactor: nullableNumber,
    dropOffByLevel: z.array(z.object({ level: z.number(), certified: count, deliveredNext: count, dropOffRate: nullableNumber })),
    medianDaysToFirstTraining: nullableNumber,
  }),
  nodes: z.array(
    z.object({
      trainingId: z.string(),
      parentTrainingId: z.nullable(z.string()),
      level: z.number(),
      region: z.string(),
      title: z.string(),
      trainerName: z.string(),
      certified: count,
      flagged: z.optional(z.enum(['qualifying-certificate-revoked', 'qualifying-certificate-expired'])),
    }),
  ),
  nextCursor: z.optional(z.string()),
});

const multipliers = z.object({
  items: z.array(
    z.object({ trainerSub: z.string(), name: z.string(), region: z.string(), certificateNumber: z.string(), trainingsHeld: count, reach: count }),
  ),
  nextCursor: z.optional(z.string()),
});

const journal = z.object({
  region: z.string(),
  from: z.string(),
  to: z.string(),
  entriesByMonth: z.array(z.object({ month: z.string(), entries: count })),
  keepers: count,
  keepingShare: nullableNumber,
});

const expiring = z.object({
  region: z.string(),
  days: count,
  items: z.array(
    z.object({
      certificateId: z.string(),
      number: z.string(),
      holderName: z.string(),
      holderEmail: z.string(),
      level: z.number(),
      qualifiesForLevel: z.number(),
      validUntil: z.string(),
      daysLeft: z.number(),
    }),
  ),
});

const surveyMetrics = named('SurveyMetrics', z.object({
  invited: count,
  responses: count,
  responseRate: nullableNumber,
  applicationRate: nullableNumber,
  colleaguesReached: count,
  withheldResponses: count,
  candidates: count,
}));

const survey = z.object({
  regions: z.array(z.string()),
  from: z.string(),
  to: z.string(),
  minimumResponses: count,
  totals: surveyMetrics,
  byRegion: z.array(z.object({ region: z.string(), name: localizedFull, metrics: surveyMetrics })),
  byLevel: z.array(z.object({ level: z.number(), metrics: surveyMetrics })),
  byTopic: z.array(z.object({ topic: z.string(), name: localizedFull, metrics: surveyMetrics })),
  byMonth: z.array(z.object({ month: z.string(), metrics: surveyMetrics })),
});

const candidates = z.object({
  regions: z.array(z.string()),
  items: z.array(z.object({
    region: z.string(),
    fullName: z.string(),
    email: z.string(),
    certificateNumber: z.string(),
    level: z.number(),
    nextLevel: z.number(),
    trainingId: z.string(),
    trainingTitle: localized,
    topic: z.string(),
    months: z.number(),
    since: z.string(),
  })),
});

const asFile = 'The report (JSON), or the same as a spreadsheet (format=csv|xlsx).';

export const reportsResponses = {
  regionsReport: { success: { 200: replyAs<RegionsReport>()(`Every region's all-time figures. ${asFile}`, regions, spreadsheets) }, errors: [] },
  regionReport: { success: { 200: replyAs<RegionReport>()(`One region's figures by level, topic and month. ${asFile}`, region, spreadsheets) }, errors: [] },
  cascadeReport: { success: { 200: replyAs<CascadeReport>()(`A national training's cascade. ${asFile}`, cascade, spreadsheets) }, errors: [404] },
  multipliersReport: { success: { 200: replyAs<MultipliersReport>()(`Certified trainers and how far they carried the cascade. ${asFile}`, multipliers, spreadsheets) }, errors: [] },
  journalReport: { success: { 200: replyAs<JournalSummary>()('Journal counts of a region (never text).', journal) }, errors: [] },
  surveyReport: { success: { 200: replyAs<SurveyReport>()(`The follow-up survey's released figures by region, level, topic and month. ${asFile}`, survey, spreadsheets) }, errors: [] },
  surveyCandidates: { success: { 200: replyAs<SurveyCandidatesReport>()(`Certified teachers who asked to train the next level (named by their choice). ${asFile}`, candidates, spreadsheets) }, errors: [] },
  expiringQualificationsReport: {
    success: { 200: replyAs<ExpiringQualificationsReport>()(`Qualifying certificates that lapse within the days asked. ${asFile}`, expiring, spreadsheets) },
    errors: [],
  },
} satisfies Record<string, RouteResponses>;
