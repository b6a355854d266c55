/**
 * Building a training's certificates ZIP into the bucket (the workflow consumer on the job's
 * INSERT, the sweeper when that never finished), and what the build and the route's in-memory ZIP
 * share: the current certificates, their digest, file names and the manifest. The route's part is
 * ./certificates-zip.ts; this module holds nothing the consumers need not load (no presigner, no
 * in-memory zipper).
 */
import { createHash } from 'node:crypto';
import { clock } from '../clock';
import { certificateStatus } from '../domain/certificate';
import { currentVersion, hasCurrentPdf } from '../domain/certificate-lifecycle';
import { asciiFileStem } from '../domain/file-names';
import { csvText, type Cell } from '../exports/spreadsheet';
import { zipEnd, zipPiece } from '../exports/stored-zip';
import { faultPoint } from '../faults';
import { logger } from '../observability/logger';
import { findCertificates, type Certificate } from '../store/certificates';
import {
  abortZipUpload,
  completeZipUpload,
  listZipParts,
  markZipFailed,
  markZipReady,
  recordZipPart,
  recordZipProgress,
  recordZipUpload,
  startZipAttempt,
  startZipUpload,
  uploadZipPart,
  zipObjectSize,
  type ZipJob,
  type ZipPart,
} from '../store/certificates-zip';
import { listIssuanceTasks } from '../store/issuance';
import { currentPdfOf } from './certificates';

export const READS_AT_ONCE = 16;
/** S3 takes parts of at least 5 MiB (but the last); a piece closes once it holds this much. */
const PIECE_BYTES = 8 * 1024 * 1024;
/** The job's progress is written every this many files, not per file. */
const PROGRESS_EVERY = 25;
/** The stream's four deliveries and a few sweeps; then the job is given up until asked again. */
const MAX_BUILD_ATTEMPTS = 8;

export type ManifestRow = { certificate: Certificate; file: string; state: 'included' | 'revoked' | 'pending' };

export async function currentCertificates(trainingId: string): Promise<Certificate[]> {
  const tasks = await listIssuanceTasks(trainingId);
  return (await findCertificates(tasks.flatMap((task) => (task.certificateId ? [task.certificateId] : [])))).sort((a, b) => a.number.localeCompare(b.number));
}

/** Names the set of certificates a ZIP shows: any issue, reissue, revocation or new PDF changes it. */
export function digestOf(certificates: readonly Certificate[]): string {
  const lines = certificates.map((certificate) =>
    [certificate.certificateId, currentVersion(certificate), certificate.status === 'revoked' ? 'r' : 'v', hasCurrentPdf(certificate) ? 'p' : '-'].join(':'),
  );
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 32);
}

export function fileNameOf(certificate: Certificate): string {
  return `${asciiFileStem(certificate.holderName)}_${asciiFileStem(certificate.number)}.pdf`;
}

/** Training ids are URL-safe base64 (shared/ids.ts), already safe in a file name, and kept whole so the name finds the training. */
export function zipNameOf(trainingId: string): string {
  return `certificates-${trainingId}.zip`;
}

/** The manifest rows a job's ZIP holds, decided from the records alone (the digest's inputs). */
export function jobRows(certificates: readonly Certificate[]): ManifestRow[] {
  return certificates.map((certificate) => {
    if (certificate.status === 'revoked') return { certificate, file: '', state: 'revoked' };
    if (!hasCurrentPdf(certificate)) return { certificate, file: '', state: 'pending' };
    return { certificate, file: fileNameOf(certificate), state: 'included' };
  });
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
  const piece = zipPiece([...buffer, { name: 'manifest.csv', data: Buffer.from(manifestCsv(rows, madeAt), 'utf8') }], offset, madeAt);
  const directory = zipEnd([...parts.flatMap((part) => part.entries), ...piece.entries], piece.end, madeAt);
  await upload(Buffer.concat([piece.bytes, directory]), { entries: [], end: piece.end + directory.length }, true);
}

/** One row per certificate; every cell through the spreadsheet-safety rule (names are user text). */
export function manifestCsv(rows: readonly ManifestRow[], now: Date): string {
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
