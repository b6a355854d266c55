/**
 * The second half of a reissue, run by the workflow consumer: the new version's PDF and email.
 * Kept apart from the HTTP use cases because rendering loads the certificate fonts at import, and
 * only the functions that render certificates ship them.
 */
import { clock } from '../clock';
import { currentVersion } from '../domain/certificate-lifecycle';
import { certificateReissuedEmail } from '../mail/certificate-reissue-email';
import { sendEmailOnce } from '../mail/send-once';
import { findReissueTask, markPdfVersionStored, markReissueDone, type ReissueTask } from '../store/certificate-lifecycle';
import { findCertificate } from '../store/certificates';
import { putCurrentPdf, renderFor } from './issuance';

/**
 * The workflow consumer's step for one reissue work item: the current version's PDF to the bucket
 * (keyed by certificate id; the bucket keeps every version), then that version's email, sent once
 * by its own dedupe key. A version superseded before its turn is skipped (the newer one's item
 * follows in stream order and mails the latest name); a revoked certificate gets nothing.
 */
export async function processReissueTask(task: Pick<ReissueTask, 'certificateId' | 'version'>): Promise<void> {
  const current = await findReissueTask(task.certificateId, task.version);
  if (!current || current.status === 'done') return;
  const doneAt = () => clock.now().toISOString();
  const certificate = await findCertificate(task.certificateId);
  if (!certificate || certificate.status === 'revoked') {
    await markReissueDone(task.certificateId, task.version, 'revoked', doneAt());
    return;
  }
  if (currentVersion(certificate) !== task.version) {
    await markReissueDone(task.certificateId, task.version, 'superseded', doneAt());
    return;
  }
  let pdf: Buffer | undefined;
  const pdfOf = async () => (pdf ??= await renderFor(certificate));
  if (certificate.pdfVersion !== task.version) {
    // If a newer version commits meanwhile, its PDF is what the bucket is left with.
    const put = await putCurrentPdf(certificate, await pdfOf());
    if (currentVersion(put.certificate) !== task.version || !(await markPdfVersionStored(certificate.certificateId, task.version, doneAt()))) {
      await markReissueDone(task.certificateId, task.version, 'superseded', doneAt());
      return;
    }
  }
  await sendEmailOnce(`certificate-reissued#${certificate.certificateId}#v${task.version}`, async () =>
    certificateReissuedEmail(certificate, task.version, await pdfOf()),
  );
  await markReissueDone(task.certificateId, task.version, 'sent', doneAt());
}
