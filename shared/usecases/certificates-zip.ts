/**
 * All of a training's certificates in one ZIP: every current PDF, named after its holder, and a
 * manifest that lists every certificate, the revoked ones (not in the ZIP) among them.
 *
 * What fits one response (about 250 certificates) is zipped in memory and streamed back. A larger
 * training, or a client that asks for it (`async`), gets a job instead: the request creates one
 * job item per set of current certificates (the digest), the workflow consumer builds the ZIP into
 * the bucket piece by piece (a multipart upload; each piece recorded, so a retry goes on from the
 * last one: ./certificates-zip-build.ts), and the same request answers its progress and then a
 * time-limited link.
 */
import { zipSync, strToU8, type Zippable } from 'fflate';
import type { Principal } from '../auth/principal';
import { clock } from '../clock';
import { canOversee } from '../domain/training';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import type { Certificate } from '../store/certificates';
import { createZipJob, findZipJob, rearmZipJob, type ZipJob } from '../store/certificates-zip';
import { zipDownloadUrl } from '../store/certificates-zip-link';
import { findTraining } from '../store/trainings';
import { currentPdfOf } from './certificates';
import { currentCertificates, digestOf, fileNameOf, jobRows, manifestCsv, READS_AT_ONCE, zipNameOf, type ManifestRow } from './certificates-zip-build';

/**
 * The HTTP API answers at most 6 MB, base64 included, so one response carries about 4 MB of
 * PDFs (some 250 certificates). A larger training needs the ZIP built into the bucket instead.
 */
export const MAX_ZIP_BYTES = 4 * 1024 * 1024;
/** How long a download link works. */
export const LINK_SECONDS = 15 * 60;
/** How soon a client should ask again while the ZIP is being built. */
const POLL_SECONDS = 2;

export interface CertificatesZip {
  zip: Uint8Array;
  fileName: string;
  included: number;
  listed: number;
}

/** A ZIP job as the client sees it: `total` PDFs go in, `done` are in. */
export interface CertificatesZipJobView {
  status: ZipJob['status'];
  done: number;
  total: number;
  downloadUrl?: string;
  expiresAt?: string;
  retryAfterSeconds: number;
}

export type CertificatesZipAnswer = ({ kind: 'file' } & CertificatesZip) | ({ kind: 'job' } & CertificatesZipJobView);

export async function certificatesZip(principal: Principal, trainingId: string, options: { async: boolean } = { async: false }): Promise<CertificatesZipAnswer> {
  const stored = await findTraining(trainingId);
  if (!stored) throw new NotFoundError('No training has this id. Check the link, or find the training in the list.');
  if (!canOversee(principal, stored.training)) {
    throw new ForbiddenError("Only the training's trainer, a coordinator of its region or an administrator can download its certificates.");
  }
  const certificates = await currentCertificates(trainingId);
  if (certificates.length === 0) {
    throw new ConflictError('This training has no certificates yet: they are issued when the trainer closes it.', 'no_certificates');
  }
  const digest = digestOf(certificates);
  if (options.async) return { kind: 'job', ...(await zipJob(trainingId, certificates, digest, false)) };
  // The same certificates were too large before: answer their job without reading the PDFs again.
  if (!(await findZipJob(trainingId, digest))?.tooLarge) {
    const inline = await zipInMemory(trainingId, certificates);
    if (inline) return { kind: 'file', ...inline };
  }
  return { kind: 'job', ...(await zipJob(trainingId, certificates, digest, true)) };
}

/** The whole ZIP in memory, or undefined once its PDFs pass what one response can carry. */
async function zipInMemory(trainingId: string, certificates: readonly Certificate[]): Promise<CertificatesZip | undefined> {
  const files: Zippable = {};
  const rows: ManifestRow[] = [];
  let bytes = 0;
  for (let start = 0; start < certificates.length; start += READS_AT_ONCE) {
    const batch = certificates.slice(start, start + READS_AT_ONCE);
    const pdfs = await Promise.all(batch.map((certificate) => (certificate.status === 'revoked' ? Promise.resolve(undefined) : currentPdfOf(certificate))));
    for (const [index, certificate] of batch.entries()) {
      const pdf = pdfs[index];
      if (certificate.status === 'revoked') {
        rows.push({ certificate, file: '', state: 'revoked' });
        continue;
      }
      if (!pdf) {
        rows.push({ certificate, file: '', state: 'pending' });
        continue;
      }
      bytes += pdf.length;
      if (bytes > MAX_ZIP_BYTES) return undefined;
      const file = fileNameOf(certificate);
      // PDFs are compressed already: stored as they are, the ZIP is built without spending CPU on it.
      files[file] = [pdf, { level: 0 }];
      rows.push({ certificate, file, state: 'included' });
    }
  }
  const now = clock.now();
  files['manifest.csv'] = strToU8(manifestCsv(rows, now));
  return {
    zip: zipSync(files, { mtime: now }),
    fileName: zipNameOf(trainingId),
    included: rows.filter((row) => row.state === 'included').length,
    listed: rows.length,
  };
}

/** The job of this set of certificates: found, or created once however many ask at the same time. */
async function zipJob(trainingId: string, certificates: readonly Certificate[], digest: string, tooLarge: boolean): Promise<CertificatesZipJobView> {
  const now = clock.now().toISOString();
  let job =
    (await findZipJob(trainingId, digest)) ??
    (await createZipJob({
      trainingId,
      digest,
      status: 'building',
      total: certificates.length,
      files: jobRows(certificates).filter((row) => row.state === 'included').length,
      done: 0,
      fileName: zipNameOf(trainingId),
      createdAt: now,
      attempts: 0,
      ...(tooLarge ? { tooLarge } : {}),
    }));
  if (job.status === 'failed') {
    // Asked again after every attempt failed: one more round, through the stream and the sweep.
    await rearmZipJob(trainingId, digest, now);
    job = { ...job, status: 'building' };
  }
  if (job.status !== 'ready') return { status: job.status, done: job.done, total: job.files, retryAfterSeconds: POLL_SECONDS };
  const signedAt = clock.now();
  return {
    status: 'ready',
    done: job.files,
    total: job.files,
    downloadUrl: await zipDownloadUrl(job, job.fileName, signedAt, LINK_SECONDS),
    expiresAt: new Date(signedAt.getTime() + LINK_SECONDS * 1000).toISOString(),
    retryAfterSeconds: 0,
  };
}
