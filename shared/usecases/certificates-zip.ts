/**
 * All of a training's certificates in one ZIP: every current PDF, named after its holder, and a
 * manifest that lists every certificate, the revoked ones (not in the ZIP) among them.
 */
import { zipSync, strToU8, type Zippable } from 'fflate';
import type { Principal } from '../auth/principal';
import { clock } from '../clock';
import { certificateStatus } from '../domain/certificate';
import { asciiFileStem } from '../domain/file-names';
import { canOversee } from '../domain/training';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { csvText, type Cell } from '../exports/spreadsheet';
import { findCertificates, type Certificate } from '../store/certificates';
import { listIssuanceTasks } from '../store/issuance';
import { findTraining } from '../store/trainings';
import { currentPdfOf } from './certificates';

/**
 * The HTTP API answers at most 6 MB, base64 included, so one response carries about 4 MB of
 * PDFs (some 250 certificates). A larger training needs the ZIP built into the bucket instead.
 */
export const MAX_ZIP_BYTES = 4 * 1024 * 1024;
const READS_AT_ONCE = 16;

export interface CertificatesZip {
  zip: Uint8Array;
  fileName: string;
  included: number;
  listed: number;
}

type ManifestRow = { certificate: Certificate; file: string; state: 'included' | 'revoked' | 'pending' };

export async function certificatesZip(principal: Principal, trainingId: string): Promise<CertificatesZip> {
  const stored = await findTraining(trainingId);
  if (!stored) throw new NotFoundError('No training has this id. Check the link, or find the training in the list.');
  if (!canOversee(principal, stored.training)) {
    throw new ForbiddenError("Only the training's trainer, a coordinator of its region or an administrator can download its certificates.");
  }
  const tasks = await listIssuanceTasks(trainingId);
  const certificates = (await findCertificates(tasks.flatMap((task) => (task.certificateId ? [task.certificateId] : [])))).sort(
    (a, b) => a.number.localeCompare(b.number),
  );
  if (certificates.length === 0) {
    throw new ConflictError('This training has no certificates yet: they are issued when the trainer closes it.', 'no_certificates');
  }

  const files: Zippable = {};
  const rows: ManifestRow[] = [];
  let bytes = 0;
  for (let start = 0; start < certificates.length; start += READS_AT_ONCE) {
    const batch = certificates.slice(start, start + READS_AT_ONCE);
    const pdfs = await Promise.all(batch.map((certificate) => (certificate.status === 'revoked' ? Promise.resolve(undefined) : currentPdfOf(certificate))));
    batch.forEach((certificate, index) => {
      const file = `${asciiFileStem(certificate.holderName)}_${asciiFileStem(certificate.number)}.pdf`;
      const pdf = pdfs[index];
      if (certificate.status === 'revoked') return rows.push({ certificate, file: '', state: 'revoked' });
      if (!pdf) return rows.push({ certificate, file: '', state: 'pending' });
      bytes += pdf.length;
      if (bytes > MAX_ZIP_BYTES) {
        throw new ConflictError(
          `The certificates of this training are more than one download can carry (${Math.round(MAX_ZIP_BYTES / 1024 / 1024)} MB). Download them one by one from the issuance view.`,
          'zip_too_large',
        );
      }
      // PDFs are compressed already: stored as they are, the ZIP is built without spending CPU on it.
      files[file] = [pdf, { level: 0 }];
      return rows.push({ certificate, file, state: 'included' });
    });
  }
  files['manifest.csv'] = strToU8(manifestCsv(rows));
  return {
    zip: zipSync(files, { mtime: clock.now() }),
    fileName: `certificates-${asciiFileStem(trainingId)}.zip`,
    included: rows.filter((row) => row.state === 'included').length,
    listed: rows.length,
  };
}

/** One row per certificate; every cell through the spreadsheet-safety rule (names are user text). */
function manifestCsv(rows: readonly ManifestRow[]): string {
  const now = clock.now();
  const lines: Cell[][] = [
    ['number', 'holder', 'status', 'file', 'issuedAt', 'validUntil', 'revokedAt', 'note'],
    ...rows.map(({ certificate, file, state }) => [
      certificate.number,
      certificate.holderName,
      certificateStatus(certificate, now),
      file,
      certificate.issuedAt,
      certificate.validUntil,
      certificate.revocation?.revokedAt ?? '',
      state === 'revoked' ? 'not included: revoked' : state === 'pending' ? 'not included: the PDF is still being made' : '',
    ]),
  ];
  return csvText(lines);
}
