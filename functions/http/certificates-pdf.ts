import { defineRoute } from '../../shared/http/route';
import { certificatePdfRequest } from '../../shared/api/certificates';
import { certificatePdfRoute } from '../../shared/manifest';
import { certificatePdf } from '../../shared/usecases/certificates';

/** The PDF's bytes, on AWS and locally alike (a certificate is ~16 KB, far below the 6 MB limit). */
export const handler = defineRoute(certificatePdfRoute, certificatePdfRequest, async ({ principal, params }) => {
  const { pdf, number } = await certificatePdf(principal, params.id);
  return {
    status: 200,
    binary: pdf,
    headers: {
      'content-type': 'application/pdf',
      'content-disposition': `inline; filename="certificate-${number}.pdf"`,
      'cache-control': 'private, no-store',
    },
  };
});
