/**
 * `npm run seed:synthetic -- --teachers 300000 --year 2026`: a synthetic year of the cascade over
 * every region, written into the running local DynamoDB (TABLE_NAME, AWS_ENDPOINT_URL_DYNAMODB or
 * DYNAMODB_PORT; default the local stack's). Stopped and started again, it resumes after the last
 * national training it finished.
 */
import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';
import { useLocalTableByDefault } from './local-env';

const { values } = parseArgs({ options: { teachers: { type: 'string', default: '300000' }, year: { type: 'string', default: '2026' } } });
const teachers = Number(values.teachers);
const year = Number(values.year);
if (!Number.isInteger(teachers) || teachers < 1 || !Number.isInteger(year) || year < 2000 || year > 2100) {
  console.error('Usage: npm run seed:synthetic -- --teachers 300000 --year 2026');
  process.exit(2);
}
useLocalTableByDefault();
const { seedSynthetic } = await import('./synthetic');
const bar = new SingleBar({ format: 'national trainings |{bar}| {value}/{total} | {eta_formatted} left', hideCursor: true }, Presets.shades_classic);
bar.start(1, 0);
const started = Date.now();
const result = await seedSynthetic({
  teachers,
  year,
  onProgress: (done, total) => {
    bar.setTotal(total);
    bar.update(done);
  },
});
bar.stop();
console.log(
  `${result.nationals} national trainings${result.resumedAt ? ` (resumed at ${result.resumedAt})` : ''}: ${result.items} items written, ${result.certificates} certificates, in ${((Date.now() - started) / 1000).toFixed(0)} s`,
);
