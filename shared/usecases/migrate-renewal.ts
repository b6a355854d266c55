/**
 * One-off backfill for renewal before expiry: certificates written before the expiry index get
 * its keys (keys.ts, certificateKeys.expiring), so the renewal job and the coordinator's list
 * find them. Every write is conditional on the keys being absent: a second run writes nothing.
 */
import { entityTypes } from '../store/entity-types';
import { scanTypes } from '../store/reconcile';
import { indexCertificateExpiry } from '../store/renewal';

export interface RenewalMigrationReport {
  certificates: number;
  indexed: number;
}

export async function migrateRenewal(): Promise<RenewalMigrationReport> {
  const report: RenewalMigrationReport = { certificates: 0, indexed: 0 };
  await scanTypes(
    [entityTypes.certificate],
    async (items) => {
      for (const item of items) {
        report.certificates += 1;
        if (typeof item.gsi2pk === 'string') continue;
        const written = await indexCertificateExpiry({
          certificateId: String(item.certificateId),
          region: String(item.region),
          validUntil: String(item.validUntil),
        });
        if (written) report.indexed += 1;
      }
    },
    { projection: ['certificateId', 'region', 'validUntil', 'gsi2pk'] },
  );
  return report;
}
