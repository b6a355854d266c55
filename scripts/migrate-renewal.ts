/**
 * `npm run migrate:renewal`: gives certificates issued before renewal reminders their expiry
 * index keys (shared/usecases/migrate-renewal.ts). Reads TABLE_NAME and the DynamoDB endpoint
 * like `npm run reconcile`. Safe to run twice, and while the product runs.
 */
import { useLocalTableByDefault } from './local-env';

useLocalTableByDefault();
const { migrateRenewal } = await import('../shared/usecases/migrate-renewal');
const report = await migrateRenewal();
console.log(`${report.certificates} certificates read, ${report.indexed} given their expiry keys.`);
