/**
 * The download link of a built certificates ZIP: apart from the build's store module, so the
 * workflow consumer and the sweeper, which build ZIPs and never hand out links, do not bundle the
 * presigner.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { certificatesBucket, s3 } from '../files/client';
import { attachment, zipObjectKey, type ZipObject } from './certificates-zip';

/**
 * A time-limited GET of the ZIP that the browser saves under its file name. Signed at `signedAt`
 * (the platform's clock), so the link ends when the answer says it does, locally too.
 */
export function zipDownloadUrl(zip: ZipObject, fileName: string, signedAt: Date, expiresInSeconds: number): Promise<string> {
  return getSignedUrl(
    s3,
    new GetObjectCommand({ Bucket: certificatesBucket, Key: zipObjectKey(zip), ResponseContentDisposition: attachment(fileName), ResponseContentType: 'application/zip' }),
    { expiresIn: expiresInSeconds, signingDate: signedAt },
  );
}
