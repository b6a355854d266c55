/**
 * The one manifest of the system: every HTTP route and every stream subscription.
 *
 * Both runtimes read it: infra/ turns it into HTTP API routes, Lambda functions, event source
 * mappings and least-privilege grants; local/ turns it into the local gateway and stream poller.
 * A new route is one `<name>Route` definition here, listed in `routes`, plus one handler file; a
 * new consumer is one entry in `consumers` plus one handler file.
 */
import { roles, type Role } from './auth/roles';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a function may touch; CDK grants exactly this and nothing more. */
export interface Permissions {
  table?: 'read' | 'readWrite';
  certificatesBucket?: 'read' | 'readWrite';
  sendEmail?: boolean;
  /** secretsmanager:GetSecretValue on the check-in HMAC key (env CHECK_IN_SECRET_ARN). */
  checkInSecret?: boolean;
  /** secretsmanager:GetSecretValue on the Open Badges Ed25519 signing key (env BADGE_KEY_SECRET_ARN). */
  badgeKey?: boolean;
  /**
   * secretsmanager:GetSecretValue on the key that seals paging cursors (env CURSOR_SECRET_ARN):
   * every route that hands out or accepts a `cursor` (shared/http/cursors.ts).
   */
  cursorKey?: boolean;
}

export interface RouteDefinition {
  name: string;
  method: HttpMethod;
  /** API Gateway route syntax: `/api/trainings/{id}`. */
  path: string;
  /** Handler module relative to the repository root; it exports `handler`. */
  handler: string;
  /** `public` routes have no authorizer; the others need a valid JWT and one of these groups. */
  access: 'public' | { roles: readonly Role[] };
  permissions: Permissions;
  /** Largest request body accepted, in bytes (the default suits JSON forms). */
  maxBodyBytes?: number;
  timeoutSeconds?: number;
  memoryMb?: number;
  /** Renders a PDF without touching the certificates bucket: ship the fonts beside the bundle anyway. */
  rendersPdf?: boolean;
}

/**
 * An event-filtering pattern in the syntax of Lambda event source mappings (and EventBridge):
 * leaf arrays list accepted values; `{ prefix }`, `{ exists }` and `{ 'anything-but' }` are
 * supported. The local poller evaluates the same patterns.
 */
export type FilterPattern = { [key: string]: FilterPattern | readonly FilterValue[] };
export type FilterValue =
  | string
  | number
  | boolean
  | null
  | { prefix: string }
  | { exists: boolean }
  | { 'anything-but': readonly (string | number)[] };

export interface ConsumerDefinition {
  name: string;
  handler: string;
  /** A record is delivered when it matches any of the patterns. */
  filters: readonly FilterPattern[];
  batchSize: number;
  /** Retries of a failing batch before its records go to the dead-letter destination. */
  maxRetries: number;
  permissions: Permissions;
  timeoutSeconds?: number;
  memoryMb?: number;
}

/** A function run on a timer: an EventBridge rule on AWS, an interval in the local runtime. */
export interface ScheduleDefinition {
  name: string;
  handler: string;
  everyMinutes: number;
  permissions: Permissions;
  timeoutSeconds?: number;
  memoryMb?: number;
}

/**
 * A function run on matching events of the account's default EventBridge bus: an EventBridge rule
 * on AWS; locally, a `/api/local` route builds the same event and hands it to every entry whose
 * pattern matches (evaluated by the same filter code as stream filters).
 */
export interface EventRuleDefinition {
  name: string;
  handler: string;
  description: string;
  /** An EventBridge event pattern: `source`, `detail-type` and `detail` keys. */
  pattern: FilterPattern;
  permissions: Permissions;
  timeoutSeconds?: number;
  memoryMb?: number;
}

const staff = ['trainers', 'admins'] as const;
/** `/api/me/*` answers every signed-in person about themselves: a trainer holds certificates too. */
const signedIn = roles;

/* @__NO_SIDE_EFFECTS__ */
function entityChange(types: readonly string[], events: readonly string[]): FilterPattern {
  return { eventName: events, dynamodb: { NewImage: { type: { S: types } } } };
}

export const healthRoute = {
  name: 'health',
  method: 'GET',
  path: '/api/health',
  handler: 'functions/http/health.ts',
  access: 'public',
  permissions: { table: 'read', certificatesBucket: 'read', sendEmail: false },
} as const satisfies RouteDefinition;

/** The API's OpenAPI 3.1 description, generated from shared/api (npm run openapi). */
export const openApiDocumentRoute = {
  name: 'openApiDocument',
  method: 'GET',
  path: '/api/openapi.json',
  handler: 'functions/http/openapi.ts',
  access: 'public',
  permissions: {},
} as const satisfies RouteDefinition;

export const listRegionsRoute = {
  name: 'listRegions',
  method: 'GET',
  path: '/api/regions',
  handler: 'functions/http/regions-list.ts',
  access: 'public',
  permissions: {},
} as const satisfies RouteDefinition;

export const listTopicsRoute = {
  name: 'listTopics',
  method: 'GET',
  path: '/api/topics',
  handler: 'functions/http/topics-list.ts',
  access: 'public',
  permissions: { table: 'read' },
} as const satisfies RouteDefinition;

export const createTopicRoute = {
  name: 'createTopic',
  method: 'POST',
  path: '/api/topics',
  handler: 'functions/http/topics-create.ts',
  access: { roles: ['admins'] },
  permissions: { table: 'readWrite' },
} as const satisfies RouteDefinition;

export const renameTopicRoute = {
  name: 'renameTopic',
  method: 'PATCH',
  path: '/api/topics/{id}',
  handler: 'functions/http/topics-rename.ts',
  access: { roles: ['admins'] },
  permissions: { table: 'readWrite' },
} as const satisfies RouteDefinition;

export const createTrainingRoute = {
  name: 'createTraining',
  method: 'POST',
  path: '/api/trainings',
  handler: 'functions/http/trainings-create.ts',
  access: { roles: staff },
  permissions: { table: 'readWrite' },
} as const satisfies RouteDefinition;

export const listTrainingsRoute = {
  name: 'listTrainings',
  method: 'GET',
  path: '/api/trainings',
  handler: 'functions/http/trainings-list.ts',
  access: 'public',
  permissions: { table: 'read', cursorKey: true },
} as const satisfies RouteDefinition;

export const getTrainingRoute = {
  name: 'getTraining',
  method: 'GET',
  path: '/api/trainings/{id}',
  handler: 'functions/http/trainings-get.ts',
  access: 'public',
  permissions: { table: 'read' },
} as const satisfies RouteDefinition;

export const updateTrainingRoute = {
  name: 'updateTraining',
  method: 'PATCH',
  path: '/api/trainings/{id}',
  handler: 'functions/http/trainings-update.ts',
  access: { roles: staff },
  permissions: { table: 'readWrite' },
} as const satisfies RouteDefinition;

export const publishTrainingRoute = {
  name: 'publishTraining',
  method: 'POST',
  path: '/api/trainings/{id}/publish',
  handler: 'functions/http/trainings-publish.ts',
  access: { roles: staff },
  permissions: { table: 'readWrite' },
} as const satisfies RouteDefinition;

export const cancelTrainingRoute = {
  name: 'cancelTraining',
  method: 'POST',
  path: '/api/trainings/{id}/cancel',
  handler: 'functions/http/trainings-cancel.ts',
  access: { roles: ['trainers', 'coordinators', 'admins'] },
  permissions: { table: 'readWrite' },
} as const satisfies RouteDefinition;

export const myTrainingsRoute = {
  name: 'myTrainings',
  method: 'GET',
  path: '/api/me/trainings',
  handler: 'functions/http/me-trainings.ts',
  access: { roles: signedIn },
  permissions: { table: 'read', cursorKey: true },
} as const satisfies RouteDefinition;

export const registerRoute = {
  name: 'register',
  method: 'POST',
  path: '/api/trainings/{id}/registrations',
  handler: 'functions/http/registrations-create.ts',
  access: { roles: ['teachers'] },
  permissions: { table: 'readWrite' },
} as const satisfies RouteDefinition;

export const withdrawRegistrationRoute = {
  name: 'withdrawRegistration',
  method: 'DELETE',
  path: '/api/trainings/{id}/registrations/me',
  handler: 'functions/http/registrations-withdraw.ts',
  access: { roles: ['teachers'] },
  permissions: { table: 'readWrite' },
} as const satisfies RouteDefinition;

export const rosterRoute = {
  name: 'roster',
  method: 'GET',
  path: '/api/trainings/{id}/registrations',
  handler: 'functions/http/registrations-roster.ts',
  access: { roles: ['trainers', 'coordinators', 'admins'] },
  permissions: { table: 'read', cursorKey: true },
} as const satisfies RouteDefinition;

export const importRegistrationsRoute = {
  name: 'importRegistrations',
  method: 'POST',
  path: '/api/trainings/{id}/registrations/import',
  handler: 'functions/http/registrations-import.ts',
  access: { roles: ['trainers', 'coordinators', 'admins'] },
  permissions: { table: 'readWrite' },
  maxBodyBytes: 2 * 1024 * 1024,
  timeoutSeconds: 29,
  memoryMb: 1024,
} as const satisfies RouteDefinition;

export const myRegistrationsRoute = {
  name: 'myRegistrations',
  method: 'GET',
  path: '/api/me/registrations',
  handler: 'functions/http/me-registrations.ts',
  access: { roles: signedIn },
  permissions: { table: 'read', cursorKey: true },
} as const satisfies RouteDefinition;

export const recordAttendanceRoute = {
  name: 'recordAttendance',
  method: 'PUT',
  path: '/api/trainings/{id}/sessions/{sessionId}/attendance',
  handler: 'functions/http/attendance-record.ts',
  access: { roles: staff },
  permissions: { table: 'readWrite' },
  // A sheet for the largest training (10,000 records) is about 700 KB, written in 100-item transactions.
  maxBodyBytes: 1024 * 1024,
  timeoutSeconds: 29,
} as const satisfies RouteDefinition;

export const importTeamsReportRoute = {
  name: 'importTeamsReport',
  method: 'POST',
  path: '/api/trainings/{id}/sessions/{sessionId}/attendance/teams-report',
  handler: 'functions/http/attendance-teams-report.ts',
  access: { roles: staff },
  permissions: { table: 'readWrite' },
  // A 2-hour meeting of 1,000 people rejoining a few times is ~1.2 MB of UTF-16, ~1.6 MB as
  // base64 in JSON; a few restarts fit too. 5 MB stays under Lambda's 6 MB request payload.
  maxBodyBytes: 5 * 1024 * 1024,
  timeoutSeconds: 29,
  memoryMb: 1024,
} as const satisfies RouteDefinition;

export const issueCheckInCodeRoute = {
  name: 'issueCheckInCode',
  method: 'POST',
  path: '/api/trainings/{id}/sessions/{sessionId}/check-in-codes',
  handler: 'functions/http/check-in-codes-issue.ts',
  access: { roles: staff },
  permissions: { table: 'read', checkInSecret: true },
} as const satisfies RouteDefinition;

export const checkInRoute = {
  name: 'checkIn',
  method: 'POST',
  path: '/api/check-in',
  handler: 'functions/http/check-in.ts',
  access: { roles: ['teachers'] },
  permissions: { table: 'readWrite', checkInSecret: true },
} as const satisfies RouteDefinition;

export const attendanceReportRoute = {
  name: 'attendanceReport',
  method: 'GET',
  path: '/api/trainings/{id}/attendance',
  handler: 'functions/http/attendance-report.ts',
  access: { roles: ['trainers', 'coordinators', 'admins'] },
  permissions: { table: 'read' },
  timeoutSeconds: 29,
  memoryMb: 1024,
} as const satisfies RouteDefinition;

export const feedbackFormRoute = {
  name: 'feedbackForm',
  method: 'GET',
  path: '/api/trainings/{id}/feedback/form',
  handler: 'functions/http/feedback-form.ts',
  // The questions are no secret; the link in a reminder can show the form before sign-in.
  access: 'public',
  permissions: { table: 'read' },
} as const satisfies RouteDefinition;

export const closeFeedbackRoute = {
  name: 'closeFeedback',
  method: 'POST',
  path: '/api/trainings/{id}/feedback/close',
  handler: 'functions/http/feedback-close.ts',
  access: { roles: staff },
  permissions: { table: 'readWrite' },
  timeoutSeconds: 29,
} as const satisfies RouteDefinition;

export const feedbackAnswersRoute = {
  name: 'feedbackAnswers',
  method: 'GET',
  path: '/api/trainings/{id}/feedback/answers',
  handler: 'functions/http/feedback-answers.ts',
  access: { roles: ['trainers', 'coordinators', 'admins'] },
  permissions: { table: 'readWrite', cursorKey: true },
  timeoutSeconds: 29,
  memoryMb: 1024,
} as const satisfies RouteDefinition;

export const submitFeedbackRoute = {
  name: 'submitFeedback',
  method: 'POST',
  path: '/api/trainings/{id}/feedback',
  handler: 'functions/http/feedback-submit.ts',
  access: { roles: ['teachers'] },
  permissions: { table: 'readWrite' },
  // Six answers of up to 5,000 characters each, even if a client escapes every letter as \uXXXX.
  maxBodyBytes: 256 * 1024,
} as const satisfies RouteDefinition;

export const feedbackSummaryRoute = {
  name: 'feedbackSummary',
  method: 'GET',
  path: '/api/trainings/{id}/feedback/summary',
  handler: 'functions/http/feedback-summary.ts',
  access: { roles: ['trainers', 'coordinators', 'admins'] },
  // The first read after the window ends releases the results (a write); it hands out the
  // answers route's sealed cursors.
  permissions: { table: 'readWrite', cursorKey: true },
  timeoutSeconds: 29,
  memoryMb: 1024,
} as const satisfies RouteDefinition;

export const closeTrainingRoute = {
  name: 'closeTraining',
  method: 'POST',
  path: '/api/trainings/{id}/close',
  handler: 'functions/http/trainings-close.ts',
  access: { roles: staff },
  permissions: { table: 'readWrite' },
  // A 1,000-person roster is ten pages and ten 100-item transactions.
  timeoutSeconds: 29,
} as const satisfies RouteDefinition;

export const verifyCertificateRoute = {
  name: 'verifyCertificate',
  method: 'GET',
  path: '/api/verify/{code}',
  handler: 'functions/http/certificates-verify.ts',
  access: 'public',
  permissions: { table: 'read' },
} as const satisfies RouteDefinition;

export const certificatePdfRoute = {
  name: 'certificatePdf',
  method: 'GET',
  path: '/api/certificates/{id}/pdf',
  handler: 'functions/http/certificates-pdf.ts',
  access: { roles: ['teachers', 'trainers', 'coordinators', 'admins'] },
  permissions: { table: 'read', certificatesBucket: 'read' },
} as const satisfies RouteDefinition;

export const issuanceProgressRoute = {
  name: 'issuanceProgress',
  method: 'GET',
  path: '/api/trainings/{id}/issuance',
  handler: 'functions/http/trainings-issuance.ts',
  access: { roles: ['trainers', 'coordinators', 'admins'] },
  permissions: { table: 'read' },
  // A 1,000-person cohort is ten roster pages, the work items and ten batch reads.
  timeoutSeconds: 29,
} as const satisfies RouteDefinition;

export const certificatesZipRoute = {
  name: 'certificatesZip',
  method: 'GET',
  path: '/api/trainings/{id}/certificates.zip',
  handler: 'functions/http/certificates-zip.ts',
  access: { roles: ['trainers', 'coordinators', 'admins'] },
  // readWrite: a training too large for one response gets its ZIP job item (the consumer builds it).
  permissions: { table: 'readWrite', certificatesBucket: 'read' },
  // Up to some 250 PDFs read from the bucket, 16 at a time, and zipped in memory.
  timeoutSeconds: 29,
  memoryMb: 1024,
} as const satisfies RouteDefinition;

export const resendCertificateRoute = {
  name: 'resendCertificate',
  method: 'POST',
  path: '/api/certificates/{id}/resend',
  handler: 'functions/http/certificates-resend.ts',
  access: { roles: ['trainers', 'coordinators', 'admins'] },
  permissions: { table: 'readWrite' },
} as const satisfies RouteDefinition;

export const myCertificatesRoute = {
  name: 'myCertificates',
  method: 'GET',
  path: '/api/me/certificates',
  handler: 'functions/http/me-certificates.ts',
  access: { roles: signedIn },
  permissions: { table: 'read', cursorKey: true },
} as const satisfies RouteDefinition;

export const revokeCertificateRoute = {
  name: 'revokeCertificate',
  method: 'POST',
  path: '/api/certificates/{id}/revoke',
  handler: 'functions/http/certificates-revoke.ts',
  access: { roles: ['coordinators', 'admins'] },
  permissions: { table: 'readWrite' },
} as const satisfies RouteDefinition;

export const reissueCertificateRoute = {
  name: 'reissueCertificate',
  method: 'POST',
  path: '/api/certificates/{id}/reissue',
  handler: 'functions/http/certificates-reissue.ts',
  access: { roles: ['coordinators', 'admins'] },
  // The new version's PDF and email follow from the workflow consumer (an outbox item).
  permissions: { table: 'readWrite' },
} as const satisfies RouteDefinition;

export const certificateCredentialRoute = {
  name: 'certificateCredential',
  method: 'GET',
  path: '/api/certificates/{id}/credential.json',
  handler: 'functions/http/certificates-credential.ts',
  access: { roles: ['teachers', 'trainers', 'coordinators', 'admins'] },
  permissions: { table: 'read', badgeKey: true },
} as const satisfies RouteDefinition;

export const statusListRoute = {
  name: 'statusList',
  method: 'GET',
  path: '/api/status-lists/{listId}',
  handler: 'functions/http/status-lists-get.ts',
  access: 'public',
  permissions: { table: 'read', badgeKey: true },
} as const satisfies RouteDefinition;

export const issuerKeyRoute = {
  name: 'issuerKey',
  method: 'GET',
  path: '/api/issuer/key',
  handler: 'functions/http/issuer-key.ts',
  access: 'public',
  // The public JWK comes as configuration (ISSUER_PUBLIC_JWK); the route never reads the secret.
  permissions: {},
} as const satisfies RouteDefinition;

export const designateNationalTrainerRoute = {
  name: 'designateNationalTrainer',
  method: 'PUT',
  path: '/api/national-trainers/{email}',
  handler: 'functions/http/national-trainers-designate.ts',
  access: { roles: ['admins'] },
  permissions: { table: 'readWrite' },
} as const satisfies RouteDefinition;

export const undesignateNationalTrainerRoute = {
  name: 'undesignateNationalTrainer',
  method: 'DELETE',
  path: '/api/national-trainers/{email}',
  handler: 'functions/http/national-trainers-undesignate.ts',
  access: { roles: ['admins'] },
  permissions: { table: 'readWrite' },
} as const satisfies RouteDefinition;

export const regionsReportRoute = {
  name: 'regionsReport',
  method: 'GET',
  path: '/api/reports/regions',
  handler: 'functions/http/reports-regions.ts',
  access: { roles: ['coordinators', 'admins'] },
  permissions: { table: 'read' },
} as const satisfies RouteDefinition;

export const regionReportRoute = {
  name: 'regionReport',
  method: 'GET',
  path: '/api/reports/regions/{region}',
  handler: 'functions/http/reports-region.ts',
  access: { roles: ['coordinators', 'admins'] },
  permissions: { table: 'read' },
} as const satisfies RouteDefinition;

export const cascadeReportRoute = {
  name: 'cascadeReport',
  method: 'GET',
  path: '/api/reports/cascade/{trainingId}',
  handler: 'functions/http/reports-cascade.ts',
  access: { roles: ['coordinators', 'admins'] },
  permissions: { table: 'read', cursorKey: true },
  // The summary reads every node of the cascade (a few hundred trainings for 10,000 people).
  timeoutSeconds: 29,
  memoryMb: 1024,
} as const satisfies RouteDefinition;

export const multipliersReportRoute = {
  name: 'multipliersReport',
  method: 'GET',
  path: '/api/reports/multipliers',
  handler: 'functions/http/reports-multipliers.ts',
  access: { roles: ['coordinators', 'admins'] },
  permissions: { table: 'read', cursorKey: true },
} as const satisfies RouteDefinition;

export const journalReportRoute = {
  name: 'journalReport',
  method: 'GET',
  path: '/api/reports/regions/{region}/journal',
  handler: 'functions/http/reports-journal.ts',
  access: { roles: ['coordinators', 'admins'] },
  permissions: { table: 'read' },
} as const satisfies RouteDefinition;

export const expiringQualificationsReportRoute = {
  name: 'expiringQualificationsReport',
  method: 'GET',
  path: '/api/reports/expiring-qualifications',
  handler: 'functions/http/reports-expiring-qualifications.ts',
  access: { roles: ['coordinators', 'admins'] },
  permissions: { table: 'read' },
} as const satisfies RouteDefinition;

// The follow-up impact survey: the holder's form and answer (the survey id names their
// certificate; anyone else's is not found), and the coordinators' figures and named candidates.
export const surveyFormRoute = {
  name: 'surveyForm',
  method: 'GET',
  path: '/api/surveys/{surveyId}',
  handler: 'functions/http/survey-form.ts',
  // Whoever holds the certificate, whatever their role since (a teacher may be a trainer now).
  access: { roles: ['teachers', 'trainers', 'coordinators', 'admins'] },
  permissions: { table: 'read' },
} as const satisfies RouteDefinition;

export const answerSurveyRoute = {
  name: 'answerSurvey',
  method: 'POST',
  path: '/api/surveys/{surveyId}',
  handler: 'functions/http/survey-answer.ts',
  access: { roles: ['teachers', 'trainers', 'coordinators', 'admins'] },
  permissions: { table: 'readWrite' },
} as const satisfies RouteDefinition;

export const surveyReportRoute = {
  name: 'surveyReport',
  method: 'GET',
  path: '/api/reports/survey',
  handler: 'functions/http/reports-survey.ts',
  access: { roles: ['coordinators', 'admins'] },
  permissions: { table: 'read' },
} as const satisfies RouteDefinition;

export const surveyCandidatesRoute = {
  name: 'surveyCandidates',
  method: 'GET',
  path: '/api/reports/survey-candidates',
  handler: 'functions/http/reports-survey-candidates.ts',
  access: { roles: ['coordinators', 'admins'] },
  permissions: { table: 'read' },
} as const satisfies RouteDefinition;

// The reflective learning journal: the author's own routes, and the trainer's view of what is
// shared with their training. Admins and coordinators have no route that returns journal text.
export const listJournalRoute = {
  name: 'listJournal',
  method: 'GET',
  path: '/api/me/journal',
  handler: 'functions/http/journal-list.ts',
  access: { roles: signedIn },
  // Pages through every entry; the cursor leaves sealed (shared/http/cursors.ts).
  permissions: { table: 'read', cursorKey: true },
} as const satisfies RouteDefinition;

export const createJournalEntryRoute = {
  name: 'createJournalEntry',
  method: 'POST',
  path: '/api/me/journal',
  handler: 'functions/http/journal-create.ts',
  access: { roles: signedIn },
  permissions: { table: 'readWrite' },
  // 20,000 characters of Kazakh or Russian are up to 40 KB of UTF-8, and JSON escapes add more.
  maxBodyBytes: 256 * 1024,
} as const satisfies RouteDefinition;

export const getJournalEntryRoute = {
  name: 'getJournalEntry',
  method: 'GET',
  path: '/api/me/journal/{entryId}',
  handler: 'functions/http/journal-get.ts',
  access: { roles: signedIn },
  permissions: { table: 'read' },
} as const satisfies RouteDefinition;

export const updateJournalEntryRoute = {
  name: 'updateJournalEntry',
  method: 'PATCH',
  path: '/api/me/journal/{entryId}',
  handler: 'functions/http/journal-update.ts',
  access: { roles: signedIn },
  permissions: { table: 'readWrite' },
  maxBodyBytes: 256 * 1024,
} as const satisfies RouteDefinition;

export const deleteJournalEntryRoute = {
  name: 'deleteJournalEntry',
  method: 'DELETE',
  path: '/api/me/journal/{entryId}',
  handler: 'functions/http/journal-delete.ts',
  access: { roles: signedIn },
  permissions: { table: 'readWrite' },
} as const satisfies RouteDefinition;

export const shareJournalEntryRoute = {
  name: 'shareJournalEntry',
  method: 'PUT',
  path: '/api/me/journal/{entryId}/share',
  handler: 'functions/http/journal-share-entry.ts',
  access: { roles: signedIn },
  permissions: { table: 'readWrite' },
} as const satisfies RouteDefinition;

export const shareJournalTrainingRoute = {
  name: 'shareJournalTraining',
  method: 'PUT',
  path: '/api/me/journal/trainings/{trainingId}/share',
  handler: 'functions/http/journal-share-training.ts',
  access: { roles: signedIn },
  permissions: { table: 'readWrite' },
} as const satisfies RouteDefinition;

export const exportJournalRoute = {
  name: 'exportJournal',
  method: 'GET',
  path: '/api/me/journal-export',
  handler: 'functions/http/journal-export.ts',
  access: { roles: signedIn },
  permissions: { table: 'read' },
  rendersPdf: true,
  timeoutSeconds: 29,
  memoryMb: 1024,
} as const satisfies RouteDefinition;

export const journalPromptsRoute = {
  name: 'journalPrompts',
  method: 'GET',
  path: '/api/journal/prompts',
  handler: 'functions/http/journal-prompts.ts',
  access: { roles: ['teachers', 'trainers'] },
  permissions: { table: 'read' },
} as const satisfies RouteDefinition;

export const setJournalPromptsRoute = {
  name: 'setJournalPrompts',
  method: 'PUT',
  path: '/api/trainings/{id}/journal/prompts',
  handler: 'functions/http/journal-prompts-set.ts',
  access: { roles: ['trainers', 'admins'] },
  permissions: { table: 'readWrite' },
} as const satisfies RouteDefinition;

export const trainerJournalRoute = {
  name: 'trainerJournal',
  method: 'GET',
  path: '/api/trainings/{id}/journal',
  handler: 'functions/http/journal-trainer.ts',
  access: { roles: ['trainers'] },
  permissions: { table: 'read' },
} as const satisfies RouteDefinition;

export const commentJournalEntryRoute = {
  name: 'commentJournalEntry',
  method: 'POST',
  path: '/api/trainings/{id}/journal/{entryId}/comments',
  handler: 'functions/http/journal-comment.ts',
  access: { roles: ['trainers'] },
  permissions: { table: 'readWrite' },
} as const satisfies RouteDefinition;

/**
 * Every route, in the order the gateway matches and the API documents them. A handler imports its
 * own definition (`<name>Route`) rather than this object: esbuild then leaves the other seventy
 * out of its bundle, where a reference to the object keeps all of them (about 14 KB minified).
 */
export const routes = {
  health: healthRoute,
  openApiDocument: openApiDocumentRoute,
  listRegions: listRegionsRoute,
  listTopics: listTopicsRoute,
  createTopic: createTopicRoute,
  renameTopic: renameTopicRoute,
  createTraining: createTrainingRoute,
  listTrainings: listTrainingsRoute,
  getTraining: getTrainingRoute,
  updateTraining: updateTrainingRoute,
  publishTraining: publishTrainingRoute,
  cancelTraining: cancelTrainingRoute,
  myTrainings: myTrainingsRoute,
  register: registerRoute,
  withdrawRegistration: withdrawRegistrationRoute,
  roster: rosterRoute,
  importRegistrations: importRegistrationsRoute,
  myRegistrations: myRegistrationsRoute,
  recordAttendance: recordAttendanceRoute,
  importTeamsReport: importTeamsReportRoute,
  issueCheckInCode: issueCheckInCodeRoute,
  checkIn: checkInRoute,
  attendanceReport: attendanceReportRoute,
  feedbackForm: feedbackFormRoute,
  closeFeedback: closeFeedbackRoute,
  feedbackAnswers: feedbackAnswersRoute,
  submitFeedback: submitFeedbackRoute,
  feedbackSummary: feedbackSummaryRoute,
  closeTraining: closeTrainingRoute,
  verifyCertificate: verifyCertificateRoute,
  certificatePdf: certificatePdfRoute,
  issuanceProgress: issuanceProgressRoute,
  certificatesZip: certificatesZipRoute,
  resendCertificate: resendCertificateRoute,
  myCertificates: myCertificatesRoute,
  revokeCertificate: revokeCertificateRoute,
  reissueCertificate: reissueCertificateRoute,
  certificateCredential: certificateCredentialRoute,
  statusList: statusListRoute,
  issuerKey: issuerKeyRoute,
  designateNationalTrainer: designateNationalTrainerRoute,
  undesignateNationalTrainer: undesignateNationalTrainerRoute,
  regionsReport: regionsReportRoute,
  regionReport: regionReportRoute,
  cascadeReport: cascadeReportRoute,
  multipliersReport: multipliersReportRoute,
  journalReport: journalReportRoute,
  expiringQualificationsReport: expiringQualificationsReportRoute,
  surveyForm: surveyFormRoute,
  answerSurvey: answerSurveyRoute,
  surveyReport: surveyReportRoute,
  surveyCandidates: surveyCandidatesRoute,
  listJournal: listJournalRoute,
  createJournalEntry: createJournalEntryRoute,
  getJournalEntry: getJournalEntryRoute,
  updateJournalEntry: updateJournalEntryRoute,
  deleteJournalEntry: deleteJournalEntryRoute,
  shareJournalEntry: shareJournalEntryRoute,
  shareJournalTraining: shareJournalTrainingRoute,
  exportJournal: exportJournalRoute,
  journalPrompts: journalPromptsRoute,
  setJournalPrompts: setJournalPromptsRoute,
  trainerJournal: trainerJournalRoute,
  commentJournalEntry: commentJournalEntryRoute,
} as const satisfies Record<string, RouteDefinition>;

export const consumers = {
  workflow: {
    name: 'workflow',
    handler: 'functions/streams/workflow.ts',
    filters: [
      entityChange(['Training', 'Registration'], ['INSERT', 'MODIFY']),
      entityChange(['IssuanceTask'], ['INSERT']),
      entityChange(['CertificateReissue'], ['INSERT']),
      entityChange(['CertificateResend'], ['INSERT']),
      // Only an early close has an effect here: it lifts the feedback requirement of non-responders.
      { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { type: { S: ['FeedbackState'] }, releaseReason: { S: ['closed_early'] } } } },
      // A trainer's comment on a journal entry emails the entry's author, once per comment.
      entityChange(['JournalComment'], ['INSERT']),
      // A certificates ZIP to build: created, or asked for again after it failed (attempts back at 0);
      // its own progress writes (attempts 1 and up) are not work.
      { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { type: { S: ['CertificatesZip'] }, status: { S: ['building'] }, attempts: { N: ['0'] } } } },
    ],
    // Records of different items run concurrently, of one item in order; an issuance renders a
    // PDF and sends an email (~0.5 s on Lambda).
    batchSize: 25,
    maxRetries: 3,
    permissions: { table: 'readWrite', certificatesBucket: 'readWrite', sendEmail: true },
    timeoutSeconds: 120,
  },
  analytics: {
    name: 'analytics',
    handler: 'functions/streams/analytics.ts',
    // Feedback counts once its training's results are released (the state item), never per
    // response: the consumer keeps no marker that orders responses or holds a rating.
    filters: [
      // A named candidate for the next level counts while opted in; a survey response never reaches it.
      entityChange(['Training', 'Registration', 'Certificate', 'SurveyCandidate'], ['INSERT', 'MODIFY']),
      { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { type: { S: ['FeedbackState', 'SurveyState'] }, releasedAt: { S: [{ exists: true }] } } } },
    ],
    // Each record is a read of its marker and one small transaction.
    batchSize: 100,
    maxRetries: 5,
    permissions: { table: 'readWrite' },
    timeoutSeconds: 60,
  },
} as const satisfies Record<string, ConsumerDefinition>;

/**
 * Scheduled jobs must be idempotent like stream consumers: EventBridge may invoke twice, and a
 * run must not repeat what an earlier run already did.
 */
export const schedules: Record<string, ScheduleDefinition> = {
  reminders: {
    name: 'reminders',
    handler: 'functions/scheduled/reminders.ts',
    everyMinutes: 15,
    permissions: { table: 'readWrite', sendEmail: true },
    timeoutSeconds: 300,
  },
  sweeper: {
    name: 'sweeper',
    handler: 'functions/scheduled/sweeper.ts',
    // The stream does the work within seconds; what is still open after 5 minutes is stuck.
    everyMinutes: 5,
    // It re-drives issuance (PDFs to the bucket) and every kind of email.
    permissions: { table: 'readWrite', certificatesBucket: 'readWrite', sendEmail: true },
    timeoutSeconds: 300,
  },
};

export const eventRules = {
  sesDeliveryEvents: {
    name: 'sesDeliveryEvents',
    handler: 'functions/events/ses-delivery.ts',
    description: 'Records the delivery status of certificate emails from SES events',
    // What the configuration set publishes to EventBridge (infra/constructs/mail.ts).
    pattern: {
      source: ['aws.ses'],
      'detail-type': ['Email Sent', 'Email Delivered', 'Email Bounced', 'Email Complaint Received'],
    },
    permissions: { table: 'readWrite' },
  },
} as const satisfies Record<string, EventRuleDefinition>;

export const routeList: readonly RouteDefinition[] = /* @__PURE__ */ Object.values(routes);
export const consumerList: readonly ConsumerDefinition[] = /* @__PURE__ */ Object.values(consumers);
export const scheduleList: readonly ScheduleDefinition[] = /* @__PURE__ */ Object.values(schedules);
export const eventRuleList: readonly EventRuleDefinition[] = /* @__PURE__ */ Object.values(eventRules);
