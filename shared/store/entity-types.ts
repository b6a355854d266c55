/**
 * The `type` attribute of every item: what stream consumers and filters dispatch on. Kept apart
 * from the keys (./keys.ts), which only the store builds; handlers and the manifest may read these.
 */
export const entityTypes = {
  training: 'Training',
  registration: 'Registration',
  seats: 'Seats',
  waitlistEntry: 'WaitlistEntry',
  emailClaim: 'EmailClaim',
  attendance: 'Attendance',
  feedbackResponse: 'FeedbackResponse',
  feedbackState: 'FeedbackState',
  feedbackGiven: 'FeedbackGiven',
  issuanceTask: 'IssuanceTask',
  certificate: 'Certificate',
  certificateCode: 'CertificateCode',
  counter: 'Counter',
  certificateReissue: 'CertificateReissue',
  statusList: 'StatusList',
  nationalTrainer: 'NationalTrainer',
  aggregate: 'Aggregate',
  aggregateSource: 'AggregateSource',
  sendRateWindow: 'SendRateWindow',
  certificateResend: 'CertificateResend',
  topic: 'Topic',
  topicCount: 'TopicCount',
  journalEntry: 'JournalEntry',
  journalComment: 'JournalComment',
  journalShare: 'JournalShare',
  journalPrompts: 'JournalPrompts',
  journalStat: 'JournalStat',
  journalKeeper: 'JournalKeeper',
} as const;
