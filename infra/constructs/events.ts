import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ConsumerDefinition } from '../../shared/manifest';
import { constructIdFor, ServiceFunction, type GrantTargets } from './service-function';

/**
 * A DynamoDB stream keeps records for 24 hours, and the failure destination receives only the
 * shard and sequence range of a failed batch, not the records. Giving up after 6 hours leaves
 * most of a day to replay the range from the stream before it is trimmed.
 */
export const maxRecordAge = Duration.hours(6);

export interface StreamConsumersProps {
  consumers: readonly ConsumerDefinition[];
  table: ITable;
  environment: Readonly<Record<string, string>>;
  grantTargets: GrantTargets;
}

export interface StreamConsumer {
  function: ServiceFunction;
  deadLetterQueue: sqs.Queue;
}

/** One function per manifest consumer, fed by the table stream through its own filters. */
export class StreamConsumers extends Construct {
  readonly consumers: ReadonlyMap<string, StreamConsumer>;

  constructor(scope: Construct, id: string, props: StreamConsumersProps) {
    super(scope, id);

    const consumers = new Map<string, StreamConsumer>();
    for (const consumer of props.consumers) {
      const id = constructIdFor(consumer.name);
      const fn = new ServiceFunction(this, `${id}Function`, {
        handlerPath: consumer.handler,
        description: `Stream consumer: ${consumer.name}`,
        environment: props.environment,
        timeoutSeconds: consumer.timeoutSeconds,
        memoryMb: consumer.memoryMb,
        bundlesCertificateFonts: consumer.permissions.certificatesBucket === 'readWrite',
      });
      fn.grantManifestPermissions(consumer.permissions, props.grantTargets);

      // One queue per consumer, so a failed batch says which consumer to replay it into.
      const deadLetterQueue = new sqs.Queue(this, `${id}DeadLetterQueue`, {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      Validations.of(deadLetterQueue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: `This queue is itself the dead-letter destination of the ${consumer.name} stream consumer.`,
      });

      fn.addEventSource(
        new DynamoEventSource(props.table, {
          startingPosition: lambda.StartingPosition.TRIM_HORIZON,
          batchSize: consumer.batchSize,
          filters: consumer.filters.map((pattern) => lambda.FilterCriteria.filter(pattern)),
          bisectBatchOnError: true,
          reportBatchItemFailures: true,
          retryAttempts: consumer.maxRetries,
          maxRecordAge,
          onFailure: new SqsDlq(deadLetterQueue),
        }),
      );
      Validations.of(fn.role ?? fn).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'dynamodb:ListStreams has no resource-level permissions, so the stream grant must use "*"; reading records is scoped to this table\'s stream.',
      });

      consumers.set(consumer.name, { function: fn, deadLetterQueue });
    }
    this.consumers = consumers;
  }
}
