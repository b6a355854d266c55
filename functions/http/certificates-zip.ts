import { defineRoute, type HttpResponse } from '../../shared/http/route';
import { certificatesZipRoute } from '../../shared/manifest';
import { certificatesZipRequest } from '../../shared/api/certificates';
import { certificatesZip } from '../../shared/usecases/certificates-zip';

/** Every current certificate PDF of a training and a manifest, in one ZIP (its trainer, coordinators, admins). */
export const handler = defineRoute(certificatesZipRoute, certificatesZipRequest, async ({ principal, params, query }): Promise<HttpResponse> => {
  const answer = await certificatesZip(principal, params.id, { async: query.async === '1' });
  if (answer.kind === 'job') {
    const { kind: _kind, ...job } = answer;
    return {
      status: job.status === 'ready' ? 200 : 202,
      body: job,
      headers: { 'cache-control': 'private, no-store', ...(job.status === 'building' ? { 'retry-after': String(job.retryAfterSeconds) } : {}) },
    };
  }
  const { zip, fileName, included, listed } = answer;
  return {
    status: 200,
    binary: Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength),
    headers: {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="${fileName}"`,
      'cache-control': 'private, no-store',
      'x-certificates-included': String(included),
      'x-certificates-listed': String(listed),
    },
  };
});
