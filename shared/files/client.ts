import { S3Client } from '@aws-sdk/client-s3';
import { optionalEnv, requiredEnv } from '../env';
import { withoutSdkLogging } from '../observability/sdk-logging';

/**
 * Locally AWS_ENDPOINT_URL_S3 points at the S3 emulator, which only understands path-style
 * addressing; on AWS virtual-hosted style is the default and the right one.
 */
export const s3 = withoutSdkLogging(new S3Client({ forcePathStyle: optionalEnv('AWS_ENDPOINT_URL_S3') !== undefined }));

export const certificatesBucket = requiredEnv('CERTIFICATES_BUCKET');
