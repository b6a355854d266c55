/**
 * All of a training's certificates in one ZIP: every current PDF, named after its holder, and a
 * manifest that lists every certificate, the revoked ones (not in the ZIP) among them.
 *
 * What fits one response (about 250 certificates) is zipped in memory and streamed back. A larger
 * training, or a client that asks for it (`async`), gets a job instead: the request creates one
 * job item per set of current certificates (the digest), the workflow consumer builds the ZIP into
 * the bucket piece by piece (a multipart upload; each piece recorded, so a retry goes on from the
 * last one), and the same request answers its progress and then a time-limited link.
 */
import { createHash } from 'node:crypto';
import { zipSync, strToU8, type Zippable } from 'fflate';
import type { Principal } from '../auth/principal';
import { clock } from '../clock';
import { certificateStatus } from '../domain/certificate';
import { currentVersion, hasCurrentPdf } from '../domain/certificate-lifecycle';
import { asciiFileStem } from '../domain/file-names';
import { canOversee } from '../domain/training';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { csvText, type Cell } from '../exports/spreadsheet';
import { zipEnd, zipPiece } from '../exports/stored-zip';
import { faultPoint } from '../faults';
import { logger } from '../observability/logger';
import { findCertificates, type Certificate } from '../store/certificates';
import {
  abortZipUpload,
  completeZipUpload,
  createZipJob,
  findZipJob,
  listZipParts,
  markZipFailed,
  markZipReady,
  rearmZipJob,
  recordZipPart,
  recordZipProgress,
  recordZipUpload,
  startZipAttempt,
  startZipUpload,
  uploadZipPart,
  zipDownloadUrl,
  zipObjectSize,
  type ZipJob,
  type ZipPart,
} from '../store/certificates-zip';
import { listIssuanceTasks } from '../store/issuance';
import { findTraining } from '../store/trainings';
import { currentPdfOf } from './certificates';

/**
 * The HTTP API answers at most 6 MB, base64 included, so one response carries about 4 MB of
 * PDFs (some 250 certificates). A larger training needs the ZIP built into the bucket instead.
 */
export const MAX_ZIP_BYTES = 4 * 1024 * 1024;
const READS_AT_ONCE = 16;
/** S3 takes parts of at least 5 MiB (but the last); a piece closes once it holds this much. */
const PIECE_BYTES = 8 * 1024 * 1024;
/** The job's progress is written every this many files, not per file. */
const PROGRESS_EVERY = 25;
/** The stream's four deliveries and a few sweeps; then the job is given up until asked again. */
const MAX_BUILD_ATTEMPTS = 8;
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

type ManifestRow = { certificate: Certificate; file: string; state: 'included' | 'revoked' | 'pending' };

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

async function currentCertificates(trainingId: string): Promise<Certificate[]> {
  const tasks = await listIssuanceTasks(trainingId);
  return (await findCertificates(tasks.flatMap((task) => (task.certificateId ? [task.certificateId] : [])))).sort((a, b) => a.number.localeCompare(b.number));
}

/** Names the set of certificates a ZIP shows: any issue, reissue, revocation or new PDF changes it. */
function digestOf(certificates: readonly Certificate[]): string {
  const lines = certificates.map((certificate) =>
    [certificate.certificateId, currentVersion(certificate), certificate.status === 'revoked' ? 'r' : 'v', hasCurrentPdf(certificate) ? 'p' : '-'].join(':'),
  );
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 32);
}

function fileNameOf(certificate: Certificate): string {
  return `${asciiFileStem(certificate.holderName)}_${asciiFileStem(certificate.number)}.pdf`;
}

function zipNameOf(trainingId: string): string {
  return `certificates-${asciiFileStem(trainingId)}.zip`;
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

/** The manifest rows a job's ZIP holds, decided from the records alone (the digest's inputs). */
function jobRows(certificates: readonly Certificate[]): ManifestRow[] {
  return certificates.map((certificate) => {
    if (certificate.status === 'revoked') return { certificate, file: '', state: 'revoked' };
    if (!hasCurrentPdf(certificate)) return { certificate, file: '', state: 'pending' };
    return { certificate, file: fileNameOf(certificate), state: 'included' };
  });
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

/**
 * Builds a job's ZIP into the bucket (the workflow consumer on the job's INSERT; the sweeper when
 * that never finished). Safe to run twice at once or again after a crash at any step: the job
 * keeps one upload id, each piece is recorded once uploaded and is the same bytes whoever makes
 * it (file order, names and times come from the job, not the clock), and a finished upload is
 * found before anything is redone.
 */
export async function buildCertificatesZip(trainingId: string, digest: string): Promise<void> {
  const job = await startZipAttempt(trainingId, digest);
  // Ready, given up or gone: a duplicate record, or a sweep after the stream finished.
  if (!job) return;
  if (job.attempts > MAX_BUILD_ATTEMPTS) {
    logger.warn('Giving up on a certificates ZIP after every attempt failed', { trainingId, attempts: job.attempts });
    return markZipFailed(trainingId, digest);
  }
  const certificates = await currentCertificates(trainingId);
  // Its certificates changed since it was asked for; the next request asks for the new set.
  if (digestOf(certificates) !== digest) return markZipFailed(trainingId, digest);

  const completed = job.uploadId ? await zipObjectSize(job) : undefined;
  if (completed !== undefined) return markZipReady(trainingId, digest, clock.now().toISOString(), completed);
  const uploadId = job.uploadId ?? (await claimUpload(job));
  if (!uploadId) return;

  const parts = await listZipParts(trainingId, digest, uploadId);
  if (!parts.at(-1)?.last) await uploadRemainingPieces(job, certificates, uploadId, parts);
  faultPoint('zip.before-complete');
  await completeZipUpload(job, uploadId, parts);
  await markZipReady(trainingId, digest, clock.now().toISOString(), (await zipObjectSize(job)) ?? 0);
}

async function claimUpload(job: ZipJob): Promise<string | undefined> {
  const mine = await startZipUpload(job, job.fileName);
  const kept = await recordZipUpload(job.trainingId, job.digest, mine);
  if (kept !== mine) await abortZipUpload(job, mine);
  return kept;
}

/** Uploads the pieces after the last one recorded, each recorded in turn; `parts` grows with them. */
async function uploadRemainingPieces(job: ZipJob, certificates: readonly Certificate[], uploadId: string, parts: ZipPart[]): Promise<void> {
  const madeAt = new Date(job.createdAt);
  const rows = jobRows(certificates);
  const files = rows.filter((row) => row.state === 'included');
  const recorded = parts.at(-1);
  let through = recorded?.filesThrough ?? 0;
  let offset = recorded?.end ?? 0;
  let reported = through;
  let buffer: { name: string; data: Uint8Array }[] = [];
  let buffered = 0;

  const upload = async (bytes: Buffer, piece: { entries: ZipPart['entries']; end: number }, last: boolean) => {
    const partNumber = (parts.at(-1)?.partNumber ?? 0) + 1;
    const etag = await uploadZipPart(job, uploadId, partNumber, bytes);
    through += buffer.length;
    const part = { uploadId, partNumber, etag, entries: piece.entries, filesThrough: through, end: piece.end, last };
    await recordZipPart(job.trainingId, job.digest, part);
    parts.push(part);
    offset = piece.end;
    buffer = [];
    buffered = 0;
  };

  for (let start = through; start < files.length; start += READS_AT_ONCE) {
    const batch = files.slice(start, start + READS_AT_ONCE);
    const pdfs = await Promise.all(batch.map((row) => currentPdfOf(row.certificate)));
    for (const [index, row] of batch.entries()) {
      const pdf = pdfs[index];
      // The record says the PDF is there: not finding it is a read to retry, not a file to leave out.
      if (!pdf) throw new Error('A certificate PDF the record lists is not readable yet');
      buffer.push({ name: row.file, data: pdf });
      buffered += pdf.length;
    }
    if (buffered >= PIECE_BYTES) {
      const piece = zipPiece(buffer, offset, madeAt);
      await upload(piece.bytes, piece, false);
    }
    const done = through + buffer.length;
    if (done - reported >= PROGRESS_EVERY) {
      await recordZipProgress(job.trainingId, job.digest, done);
      reported = done;
    }
  }
  // The manifest states each certificate as it was when the ZIP was asked for, so the last piece
  // is the same bytes whenever it is made.
  const piece = zipPiece([...buffer, { name: 'manifest.csv', data: strToU8(manifestCsv(rows, madeAt)) }], offset, madeAt);
  const directory = zipEnd([...parts.flatMap((part) => part.entries), ...piece.entries], piece.end, madeAt);
  await upload(Buffer.concat([piece.bytes, directory]), { entries: [], end: piece.end + directory.length }, true);
}

/** One row per certificate; every cell through the spreadsheet-safety rule (names are user text). */
function manifestCsv(rows: readonly ManifestRow[], now: Date): string {
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
