/**
 * Every key of the single table, in one place, with the access pattern each one serves.
 *
 * Table: pk / sk. Indexes (see ./table.ts): gsi1 (owner), gsi2 (published by region),
 * gsi3 (published everywhere). All sort keys holding instants use UTC ISO strings, so string
 * order is time order.
 *
 * | access pattern                                      | key                                                        |
 * |-----------------------------------------------------|------------------------------------------------------------|
 * | a training by id                                    | pk TRAINING#{id}, sk TRAINING                              |
 * | a trainer's trainings, by first session             | gsi1 TRAINER#{sub} / TRAINING#{firstStart}#{id}            |
 * | published trainings of a region, by first session   | gsi2 PUBLISHED#{region} / {firstStart}#{id}                |
 * | published trainings of every region, by first start | gsi3 PUBLISHED / {firstStart}#{id}                         |
 * | closed trainings, by first start (feedback reminders) | gsi3 CLOSED / {firstStart}#{id}                          |
 * | one person's registration for a training            | pk TRAINING#{id}, sk REG#{email}                           |
 * | a training's roster                                 | pk TRAINING#{id}, sk begins_with REG#                      |
 * | a training's seat and waitlist counters             | pk TRAINING#{id}, sk SEATS                                 |
 * | a training's waitlist, first come first served      | pk TRAINING#{id}, sk WAITLIST#{ticket, 10 digits}          |
 * | a person's registrations, newest first              | gsi1 PERSON#{email} / REG#{registeredAt}#{trainingId}      |
 *
 * A person is their (lower-cased) email: the same key whether they registered themselves or a
 * coordinator imported them before they had an account.
 *
 * Counters that change under concurrency (seats, waitlist) never live on the training item:
 * the training is saved whole with an optimistic version check, and a counter on it would make
 * every registration collide with every edit.
 */

export const trainingKeys = {
  item: (trainingId: string) => ({ pk: `TRAINING#${trainingId}`, sk: 'TRAINING' }),
  byTrainer: (trainerSub: string, firstStart: string, trainingId: string) => ({
    gsi1pk: `TRAINER#${trainerSub}`,
    gsi1sk: `TRAINING#${firstStart}#${trainingId}`,
  }),
  trainerPartition: (trainerSub: string) => `TRAINER#${trainerSub}`,
  trainerPrefix: 'TRAINING#',
  publishedInRegion: (region: string, firstStart: string, trainingId: string) => ({
    gsi2pk: `PUBLISHED#${region}`,
    gsi2sk: `${firstStart}#${trainingId}`,
  }),
  publishedRegionPartition: (region: string) => `PUBLISHED#${region}`,
  publishedEverywhere: (firstStart: string, trainingId: string) => ({
    gsi3pk: 'PUBLISHED',
    gsi3sk: `${firstStart}#${trainingId}`,
  }),
  publishedEverywherePartition: 'PUBLISHED',
  /** Closed trainings leave the public lists but still collect feedback, so jobs must find them. */
  closedEverywhere: (firstStart: string, trainingId: string) => ({
    gsi3pk: 'CLOSED',
    gsi3sk: `${firstStart}#${trainingId}`,
  }),
  closedEverywherePartition: 'CLOSED',
} as const;

export const registrationKeys = {
  item: (trainingId: string, email: string) => ({ pk: `TRAINING#${trainingId}`, sk: `REG#${email}` }),
  rosterPrefix: 'REG#',
  trainingPartition: (trainingId: string) => `TRAINING#${trainingId}`,
  byPerson: (email: string, registeredAt: string, trainingId: string) => ({
    gsi1pk: `PERSON#${email}`,
    gsi1sk: `REG#${registeredAt}#${trainingId}`,
  }),
  personPartition: (email: string) => `PERSON#${email}`,
  personPrefix: 'REG#',
  seats: (trainingId: string) => ({ pk: `TRAINING#${trainingId}`, sk: 'SEATS' }),
  waitlistPrefix: 'WAITLIST#',
  waitlistEntry: (trainingId: string, ticket: number) => ({
    pk: `TRAINING#${trainingId}`,
    sk: `WAITLIST#${String(ticket).padStart(10, '0')}`,
  }),
} as const;

/**
 * | an email's delivery claim (exactly-once sending)   | pk EMAIL#{dedupeKey}, sk EMAIL                              |
 */
export const emailKeys = {
  claim: (dedupeKey: string) => ({ pk: `EMAIL#${dedupeKey}`, sk: 'EMAIL' }),
} as const;

/**
 * | one participant's mark for one session             | pk TRAINING#{id}, sk ATTENDANCE#{sessionId}#{registrationId} |
 * | a session's attendance sheet                       | pk TRAINING#{id}, sk begins_with ATTENDANCE#{sessionId}#     |
 * | a training's attendance, every session             | pk TRAINING#{id}, sk begins_with ATTENDANCE#                 |
 *
 * Marks live in the training's partition, so the report reads the roster and the marks with two
 * Queries and no index. Check-in codes are never stored: they are recomputed (domain/check-in).
 */
export const attendanceKeys = {
  item: (trainingId: string, sessionId: string, registrationId: string) => ({
    pk: `TRAINING#${trainingId}`,
    sk: `ATTENDANCE#${sessionId}#${registrationId}`,
  }),
  trainingPartition: (trainingId: string) => `TRAINING#${trainingId}`,
  trainingPrefix: 'ATTENDANCE#',
  sessionPrefix: (sessionId: string) => `ATTENDANCE#${sessionId}#`,
} as const;

/**
 * | one anonymous feedback response                    | pk TRAINING#{id}, sk FEEDBACK#{random id}                    |
 * | a training's feedback responses                    | pk TRAINING#{id}, sk begins_with FEEDBACK#                   |
 * | a training's feedback state: count, release, tallies | pk TRAINING#{id}, sk FEEDBACKSTATE                         |
 * | "this person has answered" (by account)            | pk TRAINING#{id}, sk FEEDBACKGIVEN#SUB#{sub}                 |
 * | "this person has answered" (by email)              | pk TRAINING#{id}, sk FEEDBACKGIVEN#EMAIL#{email}             |
 * | who has answered (non-responders, completion)      | pk TRAINING#{id}, sk begins_with FEEDBACKGIVEN#EMAIL#        |
 *
 * A response's sort key is random (never time-ordered, never derived from the person), and the
 * item holds no identity and no timestamp. The "answered" marks belong to the person, not to a
 * registration, so withdrawing and registering again never opens a second answer; they hold no
 * time either. The state item serializes submissions against the release: every submission adds
 * to its count under "not released", the release sets it once under "count unchanged".
 */
export const feedbackKeys = {
  response: (trainingId: string, responseId: string) => ({ pk: `TRAINING#${trainingId}`, sk: `FEEDBACK#${responseId}` }),
  trainingPartition: (trainingId: string) => `TRAINING#${trainingId}`,
  responsePrefix: 'FEEDBACK#',
  state: (trainingId: string) => ({ pk: `TRAINING#${trainingId}`, sk: 'FEEDBACKSTATE' }),
  givenBySub: (trainingId: string, sub: string) => ({ pk: `TRAINING#${trainingId}`, sk: `FEEDBACKGIVEN#SUB#${sub}` }),
  givenByEmail: (trainingId: string, email: string) => ({ pk: `TRAINING#${trainingId}`, sk: `FEEDBACKGIVEN#EMAIL#${email}` }),
  givenByEmailPrefix: 'FEEDBACKGIVEN#EMAIL#',
} as const;

/**
 * | a closed training's issuance work item (outbox)    | pk TRAINING#{id}, sk ISSUE#{registrationId}                  |
 * | a training's issuance work items                   | pk TRAINING#{id}, sk begins_with ISSUE#                      |
 *
 * Closing a training writes one item per confirmed participant (attribute_not_exists); each
 * item's INSERT on the stream is one small, retryable issuance for the workflow consumer.
 */
export const issuanceKeys = {
  task: (trainingId: string, registrationId: string) => ({ pk: `TRAINING#${trainingId}`, sk: `ISSUE#${registrationId}` }),
  trainingPartition: (trainingId: string) => `TRAINING#${trainingId}`,
  taskPrefix: 'ISSUE#',
} as const;

/**
 * | a certificate by id (one per training+registration) | pk CERT#{certificateId}, sk CERT                            |
 * | a certificate by its public verification code       | pk CERTCODE#{code}, sk CERTCODE → certificateId            |
 * | a person's certificates, newest first               | gsi1 PERSON#{email} / CERT#{issuedAt}#{certificateId}      |
 * | the next certificate number of a region and year    | pk COUNTER#CERT#{region code}#{year}, sk COUNTER (ADD seq) |
 * | one resend of a certificate's email (work item)     | pk CERT#{certificateId}, sk RESEND#{resendId}              |
 * | a region's certificates expiring in one month (UTC)  | gsi2 CERTEXPIRY#{region}#{YYYY-MM} / {validUntil}#{certificateId} |
 * | …expiring between two instants (renewal job, coordinator list) | the months' partitions, gsi2sk BETWEEN |
 *
 * The expiry keys are written with the certificate (validUntil never changes), so the renewal job
 * and the coordinator's list read a few month partitions per region instead of scanning; records
 * written before them get the keys from `npm run migrate:renewal`.
 *
 * The certificate id is derived from (training, registration) (certificates/codes.ts), so the
 * conditional Put of pk CERT#{id} is the exactly-once guard of issuance.
 */
export const certificateKeys = {
  item: (certificateId: string) => ({ pk: `CERT#${certificateId}`, sk: 'CERT' }),
  byCode: (code: string) => ({ pk: `CERTCODE#${code}`, sk: 'CERTCODE' }),
  byHolder: (email: string, issuedAt: string, certificateId: string) => ({
    gsi1pk: `PERSON#${email}`,
    gsi1sk: `CERT#${issuedAt}#${certificateId}`,
  }),
  holderPartition: (email: string) => `PERSON#${email}`,
  holderPrefix: 'CERT#',
  counter: (regionCode: string, year: number) => ({ pk: `COUNTER#CERT#${regionCode}#${year}`, sk: 'COUNTER' }),
  expiring: (region: string, validUntil: string, certificateId: string) => ({
    gsi2pk: `CERTEXPIRY#${region}#${validUntil.slice(0, 7)}`,
    gsi2sk: `${validUntil}#${certificateId}`,
  }),
  expiringPartition: (region: string, month: string) => `CERTEXPIRY#${region}#${month}`,
  /** A resend the trainer asked for: its INSERT on the stream is the work item of one email. */
  resend: (certificateId: string, resendId: string) => ({ pk: `CERT#${certificateId}`, sk: `RESEND#${resendId}` }),
  /** The stored PDF in the certificates bucket. */
  pdfObject: (certificateId: string) => `certificates/${certificateId}.pdf`,
  /** One reissue of a certificate (outbox): its INSERT makes the workflow consumer render and mail that version. */
  reissue: (certificateId: string, version: number) => ({
    pk: `CERT#${certificateId}`,
    sk: `REISSUE#${String(version).padStart(6, '0')}`,
  }),
} as const;

/**
 * | a training's certificates ZIP, one per set of current certificates | pk TRAINING#{id}, sk CERTZIP#{digest}           |
 * | one uploaded piece of that ZIP (where a build goes on from)        | pk TRAINING#{id}, sk CERTZIP#{digest}#PART#{n, 5 digits} |
 * | the job and its pieces                                             | pk TRAINING#{id}, sk begins_with CERTZIP#{digest} |
 *
 * The digest names the certificates it holds (id, version, revoked, PDF made), so a certificate
 * issued, reissued or revoked after a ZIP was built makes the next request start a new one. The
 * job's INSERT on the stream is the workflow consumer's work item.
 */
export const certificatesZipKeys = {
  job: (trainingId: string, digest: string) => ({ pk: `TRAINING#${trainingId}`, sk: `CERTZIP#${digest}` }),
  part: (trainingId: string, digest: string, partNumber: number) => ({
    pk: `TRAINING#${trainingId}`,
    sk: `CERTZIP#${digest}#PART#${String(partNumber).padStart(5, '0')}`,
  }),
  trainingPartition: (trainingId: string) => `TRAINING#${trainingId}`,
  partPrefix: (digest: string) => `CERTZIP#${digest}#PART#`,
  /** The built ZIP in the certificates bucket. */
  object: (trainingId: string, digest: string) => `zips/${trainingId}/${digest}.zip`,
} as const;

/**
 * | a certificate's reissue work item (outbox)         | pk CERT#{certificateId}, sk REISSUE#{version, 6 digits}     |
 * | a Bitstring Status List (one per region and year)  | pk STATUSLIST#{listId}, sk STATUSLIST                       |
 *
 * A status list item holds the GZIP'd bitstring and a version; a revocation rewrites it with a
 * version check in the same transaction that marks the certificate revoked, so the record and
 * its bit change together, and two revocations in one list both land (the loser retries).
 */
export const statusListKeys = {
  item: (listId: string) => ({ pk: `STATUSLIST#${listId}`, sk: 'STATUSLIST' }),
} as const;

/**
 * | a national-trainer designation (level 0)           | pk NATIONALTRAINER#{email}, sk NATIONALTRAINER               |
 */
export const nationalTrainerKeys = {
  item: (email: string) => ({ pk: `NATIONALTRAINER#${email}`, sk: 'NATIONALTRAINER' }),
} as const;

/**
 * | a topic an admin added or renamed                  | pk TOPIC, sk TOPIC#{id}                                      |
 * | every stored topic (one partition, ≤ 50 items)     | pk TOPIC, sk begins_with TOPIC#                              |
 * | how many topics admins added (the vocabulary's cap) | pk TOPIC, sk COUNT (ADD added, conditioned on the cap)     |
 *
 * The seeded topics live in config/topics.json; an item here adds one or renames a seeded one.
 */
export const topicKeys = {
  partition: 'TOPIC',
  item: (topicId: string) => ({ pk: 'TOPIC', sk: `TOPIC#${topicId}` }),
  itemPrefix: 'TOPIC#',
  count: { pk: 'TOPIC', sk: 'COUNT' },
} as const;

/**
 * Aggregates, kept by the analytics consumer (domain/aggregates), read by the reports:
 *
 * | a region's figures of one month (all levels, topics) | pk AGG#REGION#{region}, sk MONTH#{YYYY-MM}                 |
 * | a region's months from..to (≤ 24 items)             | pk AGG#REGION#{region}, sk BETWEEN MONTH#{from} AND MONTH#{to} |
 * | a region's figures of all time                      | pk AGG#REGION#{region}, sk TOTAL (BatchGet for all regions)  |
 * | one training of a cascade (node, with its counts)   | pk CASCADE#{rootTrainingId}, sk NODE#{level}#{trainingId}   |
 * | a cascade's tree to a depth, paged                  | pk CASCADE#{root}, sk BETWEEN NODE#0 AND NODE#{depth}~      |
 * | a region's multipliers, paged                       | pk AGG#MULT#{region}, sk TRAINER#{sub}                      |
 * | what one source item last contributed (marker)      | pk AGGSRC#{source pk}, sk {source sk}                       |
 *
 * Counters live in attributes named `{counter}|{level}|{topic}`, so one item per region and month
 * answers every level and topic: a year's report is 12 items, not 12 × levels × topics.
 */
export const aggregateKeys = {
  regionPartition: (region: string) => `AGG#REGION#${region}`,
  /** The region a region item's pk names (its partition without the prefix). */
  regionOfPartition: (pk: string) => pk.slice('AGG#REGION#'.length),
  regionMonth: (region: string, month: string) => ({ pk: `AGG#REGION#${region}`, sk: `MONTH#${month}` }),
  monthSortKey: (month: string) => `MONTH#${month}`,
  /** The month (YYYY-MM) a month item's sk names. */
  monthOfSortKey: (sk: string) => sk.slice('MONTH#'.length),
  regionTotal: (region: string) => ({ pk: `AGG#REGION#${region}`, sk: 'TOTAL' }),
  cascadePartition: (rootId: string) => `CASCADE#${rootId}`,
  cascadeNode: (rootId: string, level: number, trainingId: string) => ({ pk: `CASCADE#${rootId}`, sk: `NODE#${level}#${trainingId}` }),
  cascadeNodePrefix: 'NODE#',
  cascadeLevelPrefix: (level: number) => `NODE#${level}#`,
  multiplierPartition: (region: string) => `AGG#MULT#${region}`,
  multiplier: (region: string, trainerSub: string) => ({ pk: `AGG#MULT#${region}`, sk: `TRAINER#${trainerSub}` }),
  source: (sourcePk: string, sourceSk: string) => ({ pk: `AGGSRC#${sourcePk}`, sk: sourceSk }),
  /** The source item's key a marker stands for (its pk without the prefix, the same sk). */
  sourceOfMarker: (marker: { pk: string; sk: string }) => ({ pk: marker.pk.replace(/^AGGSRC#/, ''), sk: marker.sk }),
  /** The follow-up survey's figures, apart from the region items so the region report's items stay as they are. */
  surveyPartition: (region: string) => `AGG#SURVEY#${region}`,
  surveyMonth: (region: string, month: string) => ({ pk: `AGG#SURVEY#${region}`, sk: `MONTH#${month}` }),
} as const;

/**
 * | emails sent in one second, across every worker     | pk SENDRATE#{epoch second}, sk SENDRATE (ADD sent; TTL expiresAt) |
 *
 * The SES quota is a number of messages per second for the whole account, so the counter is one
 * item per second that every worker increments under a condition.
 */
export const sendRateKeys = {
  window: (epochSecond: number) => ({ pk: `SENDRATE#${epochSecond}`, sk: 'SENDRATE' }),
} as const;

/**
 * | how far the synthetic seed got with one year (resumable) | pk SYNTHETIC#{year}, sk PROGRESS                    |
 *
 * Written only by `npm run seed:synthetic` on a local or benchmark table, never by the product.
 */
export const syntheticKeys = {
  progress: (year: number) => ({ pk: `SYNTHETIC#${year}`, sk: 'PROGRESS' }),
} as const;

/**
 * The reflective learning journal:
 *
 * | one journal entry                                  | pk JOURNALENTRY#{entryId}, sk ENTRY                          |
 * | an entry with its comments (one Query)             | pk JOURNALENTRY#{entryId}, sk ENTRY or begins_with COMMENT#  |
 * | a trainer's comment on an entry                    | pk JOURNALENTRY#{entryId}, sk COMMENT#{createdAt}#{commentId} |
 * | an author's entries, newest first                  | gsi1 JOURNAL#{authorSub} / ENTRY#{createdAt}#{entryId}       |
 * | "all my entries about training T are shared"       | pk JOURNAL#{authorSub}, sk SHARE#{trainingId}                |
 * | what a training's trainer may read (sparse)        | gsi3 JOURNALSHARED#{trainingId} / ENTRY#{entryId} or ALL#{authorSub} |
 * | a training's extra prompts, added by its trainer   | pk TRAINING#{id}, sk JOURNALPROMPTS                          |
 * | entries written about a region's trainings, by month | pk JOURNALSTAT#{region}, sk MONTH#{YYYY-MM} (ADD entries)  |
 * | a region's journal keepers (distinct authors)      | pk JOURNALSTAT#{region}, sk TOTAL (ADD keepers)              |
 * | "this author keeps a journal about this region"    | pk JOURNALSTAT#{region}, sk KEEPER#{authorSub} (no text)     |
 *
 * Entries are private: the only index a reader other than the author reaches is the sparse
 * JOURNALSHARED partition, written only while the author shares (and removed when they stop).
 */
export const journalKeys = {
  entry: (entryId: string) => ({ pk: `JOURNALENTRY#${entryId}`, sk: 'ENTRY' }),
  entryPartition: (entryId: string) => `JOURNALENTRY#${entryId}`,
  comment: (entryId: string, createdAt: string, commentId: string) => ({ pk: `JOURNALENTRY#${entryId}`, sk: `COMMENT#${createdAt}#${commentId}` }),
  commentPrefix: 'COMMENT#',
  byAuthor: (authorSub: string, createdAt: string, entryId: string) => ({ gsi1pk: `JOURNAL#${authorSub}`, gsi1sk: `ENTRY#${createdAt}#${entryId}` }),
  authorPartition: (authorSub: string) => `JOURNAL#${authorSub}`,
  authorPrefix: 'ENTRY#',
  share: (authorSub: string, trainingId: string) => ({ pk: `JOURNAL#${authorSub}`, sk: `SHARE#${trainingId}` }),
  sharedEntry: (trainingId: string, entryId: string) => ({ gsi3pk: `JOURNALSHARED#${trainingId}`, gsi3sk: `ENTRY#${entryId}` }),
  sharedAll: (trainingId: string, authorSub: string) => ({ gsi3pk: `JOURNALSHARED#${trainingId}`, gsi3sk: `ALL#${authorSub}` }),
  sharedPartition: (trainingId: string) => `JOURNALSHARED#${trainingId}`,
  prompts: (trainingId: string) => ({ pk: `TRAINING#${trainingId}`, sk: 'JOURNALPROMPTS' }),
  statMonth: (region: string, month: string) => ({ pk: `JOURNALSTAT#${region}`, sk: aggregateKeys.monthSortKey(month) }),
  statPartition: (region: string) => `JOURNALSTAT#${region}`,
  statTotal: (region: string) => ({ pk: `JOURNALSTAT#${region}`, sk: 'TOTAL' }),
  keeper: (region: string, authorSub: string) => ({ pk: `JOURNALSTAT#${region}`, sk: `KEEPER#${authorSub}` }),
} as const;

/**
 * The sweep index: gsi3, sparse. Work that should finish by itself carries a sweep key until it
 * is done, so the sweeper reads only what is still open (by due time), never the history:
 *
 * | issuance work items still pending                   | gsi3 SWEEP#issuance / {createdAt}#{trainingId}#{registrationId} |
 * | reissue work items still pending                    | gsi3 SWEEP#reissue / {createdAt}#{certificateId}#{version}      |
 * | resends whose email has not left (`sending`)        | gsi3 SWEEP#resend / {requestedAt}#{certificateId}#{resendId}    |
 * | emails claimed, not yet sent (due when the lease ends, or when given back) | gsi3 SWEEP#email / {due}#{dedupeKey} |
 * | seat counters that may hold a free seat while people wait | gsi3 SWEEP#seats / {markedAt}#{trainingId}            |
 * | certificates ZIPs still building                    | gsi3 SWEEP#zip / {createdAt}#{trainingId}#{digest}              |
 *
 * Finishing a piece of work REMOVEs its gsi3pk/gsi3sk in the same write that records it done.
 * Only emails that name a source to re-drive from (registration and training emails) are
 * indexed; certificate emails are re-driven through their work item.
 */
export const sweepKinds = ['issuance', 'reissue', 'resend', 'email', 'seats', 'zip'] as const;
export type SweepKind = (typeof sweepKinds)[number];

function sweepKey(kind: SweepKind, due: string, ...rest: readonly (string | number)[]) {
  return { gsi3pk: `SWEEP#${kind}`, gsi3sk: [due, ...rest].join('#') };
}

export const sweepKeys = {
  partition: (kind: SweepKind) => `SWEEP#${kind}`,
  issuance: (createdAt: string, trainingId: string, registrationId: string) => sweepKey('issuance', createdAt, trainingId, registrationId),
  reissue: (createdAt: string, certificateId: string, version: number) => sweepKey('reissue', createdAt, certificateId, version),
  resend: (requestedAt: string, certificateId: string, resendId: string) => sweepKey('resend', requestedAt, certificateId, resendId),
  email: (due: string, dedupeKey: string) => sweepKey('email', due, dedupeKey),
  seats: (markedAt: string, trainingId: string) => sweepKey('seats', markedAt, trainingId),
  zip: (createdAt: string, trainingId: string, digest: string) => sweepKey('zip', createdAt, trainingId, digest),
  attributes: ['gsi3pk', 'gsi3sk'] as const,
} as const;

/**
 * The follow-up impact survey (one wave = one training's certificates surveyed `months` after issue):
 *
 * | one certificate's invitation (named: who, when)     | pk SURVEYINV#{certificateId}#{months}, sk INVITATION          |
 * | a wave's anonymous response (random id, no time)    | pk SURVEY#{trainingId}#{months}, sk RESPONSE#{random id}      |
 * | a wave's responses                                   | pk SURVEY#{trainingId}#{months}, sk begins_with RESPONSE#     |
 * | a wave's state: counts, then the one release        | pk SURVEY#{trainingId}#{months}, sk STATE                     |
 * | "this person has answered this wave" (no time)       | pk SURVEY#{trainingId}#{months}, sk ANSWERED#SUB#{sub} / ANSWERED#EMAIL#{email} |
 * | a named candidate for the next level, by region     | pk SURVEYCAND#{region}, sk {email}#{trainingId}               |
 *
 * The invitation is the only item that ties a person to a wave, and it is written before anyone
 * answers and never touched by an answer; the response holds the wave and what was said only.
 * Certificates due a survey are found through the expiry index (certificateKeys.expiring): a
 * certificate's validUntil is its issue plus the validity, so "issued n months ago" is a range of it.
 */
export const surveyKeys = {
  invitation: (certificateId: string, months: number) => ({ pk: `SURVEYINV#${certificateId}#${months}`, sk: 'INVITATION' }),
  wavePartition: (trainingId: string, months: number) => `SURVEY#${trainingId}#${months}`,
  response: (trainingId: string, months: number, responseId: string) => ({ pk: `SURVEY#${trainingId}#${months}`, sk: `RESPONSE#${responseId}` }),
  responsePrefix: 'RESPONSE#',
  state: (trainingId: string, months: number) => ({ pk: `SURVEY#${trainingId}#${months}`, sk: 'STATE' }),
  answeredBySub: (trainingId: string, months: number, sub: string) => ({ pk: `SURVEY#${trainingId}#${months}`, sk: `ANSWERED#SUB#${sub}` }),
  answeredByEmail: (trainingId: string, months: number, email: string) => ({ pk: `SURVEY#${trainingId}#${months}`, sk: `ANSWERED#EMAIL#${email}` }),
  candidatePartition: (region: string) => `SURVEYCAND#${region}`,
  candidate: (region: string, email: string, trainingId: string) => ({ pk: `SURVEYCAND#${region}`, sk: `${email}#${trainingId}` }),
} as const;
