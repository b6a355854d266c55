import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { certificatesBucket, s3 } from '../../shared/files/client';
import { defineRoute } from '../../shared/http/route';
import { healthRequest } from '../../shared/api/public';
import { healthRoute } from '../../shared/manifest';
import { dynamoDb, tableName } from '../../shared/store/client';

export const handler = defineRoute(healthRoute, healthRequest, async () => {
  const checks = await Promise.allSettled([
    dynamoDb.send(new DescribeTableCommand({ TableName: tableName })),
    s3.send(new HeadBucketCommand({ Bucket: certificatesBucket })),
  ]);
  const [table, bucket] = checks.map((check) => (check.status === 'fulfilled' ? 'ok' : 'unavailable'));
  const healthy = checks.every((check) => check.status === 'fulfilled');
  return {
    status: healthy ? 200 : 503,
    body: { status: healthy ? 'ok' : 'degraded', checks: { table, bucket } },
    headers: { 'cache-control': 'no-store' },
  };
});
