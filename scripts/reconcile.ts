/**
 * `npm run reconcile [-- --dry-run]`: recomputes every aggregate from the source items, reports
 * the drift and (unless --dry-run) repairs it. Reads TABLE_NAME (default the local table) and the
 * DynamoDB endpoint from AWS_ENDPOINT_URL_DYNAMODB (default the local port 8000).
 */
import { SingleBar, Presets } from 'cli-progress';
import { useLocalTableByDefault } from './local-env';

useLocalTableByDefault();
const dryRun = process.argv.includes('--dry-run');
const { AggregateItemTooLargeError, reconcile } = await import('../shared/usecases/reconcile');

const bar = new SingleBar({ format: '{phase} |{bar}| {value} items', hideCursor: true }, Presets.shades_classic);
bar.start(1, 0, { phase: 'sources' });
const started = Date.now();
const report = await reconcile({
  repair: !dryRun,
  onProgress: (phase, done) => {
    bar.setTotal(Math.max(done, 1));
    bar.update(done, { phase });
  },
}).catch((error: unknown) => {
  bar.stop();
  if (!(error instanceof AggregateItemTooLargeError)) throw error;
  console.error(`\n${error.message}`);
  process.exit(2);
});
bar.stop();
console.log(
  `${report.sourceItems} source items, ${report.aggregateItems} aggregate items, ${report.driftItems} items drifted` +
    `${report.repaired ? `, repaired (${report.markersRepaired} markers)` : ' (dry run: nothing written)'} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
if (report.largestAggregate) {
  console.log(`largest aggregate item: ${report.largestAggregate.item.replace('\n', ' / ')}, ${(report.largestAggregate.bytes / 1024).toFixed(1)} KB`);
}
for (const drift of report.drift.slice(0, 50)) {
  console.log(`  ${drift.item.replace('\n', ' / ')} ${drift.attribute}: expected ${drift.expected}, found ${drift.actual}`);
}
if (report.drift.length > 50) console.log(`  … and ${report.drift.length - 50} more`);
