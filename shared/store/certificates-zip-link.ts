/**
 * The download link of a built certificates ZIP: apart from the build's store module, so the
 * workflow consumer and the sweeper, which build ZIPs and never hand out links, do not bundle the
 * presigner; and it loads with the first link, as the S3 client does (store/certificates).
 */
import { objectStore } from './certificates';
import { attachment, zipObjectKey, type ZipObject } from './certificates-zip';

/**
 * A time-limited GET of the ZIP that the browser saves under its file name. Signed at `signedAt`
 * (the platform's clock), so the link ends when the answer says it does, locally too.
 */
export async function zipDownloadUrl(zip: ZipObject, fileName: string, signedAt: Date, expiresInSeconds: number): Promise<string> {
  const [{ s3, certificatesBucket, GetObjectCommand }, { getSignedUrl }] = await Promise.all([objectStore(), import('@aws-sdk/s3-request-presigner')]);
  return getSignedUrl(
    s3,
    new GetObjectCommand({ Bucket: certificatesBucket, Key: zipObjectKey(zip), ResponseContentDisposition: attachment(fileName), ResponseContentType: 'application/zip' }),
    { expiresIn: expiresInSeconds, signingDate: signedAt },
  );
}
