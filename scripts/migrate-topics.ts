/**
 * `npm run migrate:topics [-- --dry-run]`: gives every training stored with a free-text topic a
 * vocabulary id (shared/usecases/topic-migration.ts) and prints what it mapped. Then run
 * `npm run reconcile` once the stream is quiet, so the aggregates drop the old attribute names.
 * Reads TABLE_NAME (default the local table) and AWS_ENDPOINT_URL_DYNAMODB like reconcile.
 */
import { useLocalTableByDefault } from './local-env';

useLocalTableByDefault();
const dryRun = process.argv.includes('--dry-run');
const { migrateTopics } = await import('../shared/usecases/topic-migration');

const report = await migrateTopics({ dryRun });
console.log(`${report.trainings} trainings: ${report.unchanged} name a topic id already, ${report.trainings - report.unchanged} with free text${dryRun ? ' (dry run: nothing written)' : ''}`);
for (const entry of report.mapped) console.log(`  ${JSON.stringify(entry.from)} → ${entry.to} (${entry.trainings})`);
if (report.skipped > 0) {
  console.log(`${report.skipped} trainings changed while the run read them; run it again.`);
  process.exitCode = 1;
} else if (!dryRun && report.mapped.length > 0) {
  console.log('Now run npm run reconcile, so the aggregates count them under their topic ids.');
}
