/**
 * `npm run migrate:feedback`: moves feedback written before the release rule to it (see
 * shared/usecases/migrate-feedback.ts), then reconciles the aggregates. Reads TABLE_NAME and the
 * DynamoDB endpoint like `npm run reconcile`. Safe to run twice. Run it while the stream is quiet.
 */
import { useLocalTableByDefault } from './local-env';

useLocalTableByDefault();
const { migrateFeedback } = await import('../shared/usecases/migrate-feedback');
const report = await migrateFeedback();
console.log(
  `${report.marksWritten} "answered" marks written, ${report.statesWritten} feedback states written, ${report.released} trainings released, ` +
    `${report.responseMarkersDeleted} per-response markers deleted; reconcile: ${report.reconcile.driftItems} aggregate items repaired.`,
);
