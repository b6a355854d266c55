import * as z from '../../shared/schemas/zod';
import { defineRoute } from '../../shared/http/route';
import { routes } from '../../shared/manifest';
import { idSchema } from '../../shared/schemas/common';
import { certificatePdf } from '../../shared/usecases/certificates';

const params = z.strictObject({ id: idSchema });

/** The PDF's bytes, on AWS and locally alike (a certificate is ~16 KB, far below the 6 MB limit). */
export const handler = defineRoute(routes.certificatePdf, { params }, async ({ principal, params }) => {
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
