import { CfnOutput, Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ServiceFunction } from './service-function';

export const metricsNamespace = 'CascadeTraining';

export interface OperationsAlarmsProps {
  /** Each stream consumer's failure destination, by consumer name. */
  deadLetterQueues: ReadonlyMap<string, sqs.IQueue>;
  /** The sweeper job, when the app has one. */
  sweeper?: ServiceFunction;
}

/**
 * Failure that comes back by itself is still worth knowing about: an alarm when a dead-letter
 * queue holds anything (replay it with `npm run redrive`), and when the sweeper finds stuck work
 * (the stream missed something; the sweeper re-drives it, the alarm says that it had to).
 * Every alarm notifies one topic; subscribe the on-call address to it.
 */
export class OperationsAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'Cascade training operations alarms', enforceSSL: true });
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason: 'The topic carries CloudWatch alarm notifications only (alarm names and states), no personal or business data.',
    });
    const notify = new actions.SnsAction(this.topic);

    for (const [name, queue] of props.deadLetterQueues) {
      const alarm = new cloudwatch.Alarm(this, `${name}DeadLetters`, {
        alarmDescription: `The ${name} stream consumer gave up on records. Fix the cause, then run npm run redrive -- --consumer ${name}.`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(notify);
      this.alarms.push(alarm);
    }

    if (props.sweeper) {
      // The sweeper logs one "Sweep run" line per run with `stuck`, the items it found (functions/scheduled/sweeper.ts).
      const filter = new logs.MetricFilter(this, 'SweeperStuckWorkFilter', {
        logGroup: props.sweeper.logGroup,
        filterPattern: logs.FilterPattern.literal('{ $.message = "Sweep run" && $.stuck > 0 }'),
        metricNamespace: metricsNamespace,
        metricName: 'SweeperStuckWork',
        metricValue: '$.stuck',
        defaultValue: 0,
      });
      const stuck = new cloudwatch.Alarm(this, 'SweeperFoundStuckWork', {
        alarmDescription: 'The sweeper found work the stream did not finish (and re-drove it). Look at the dead-letter queues and the workflow logs for the cause.',
        metric: filter.metric({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      stuck.addAlarmAction(notify);
      const failing = new cloudwatch.Alarm(this, 'SweeperFailing', {
        alarmDescription: 'Sweeper runs are failing: stuck work is not being re-driven. Read the sweeper logs (error names only).',
        metric: props.sweeper.metricErrors({ period: Duration.minutes(15), statistic: 'Sum' }),
        threshold: 2,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      failing.addAlarmAction(notify);
      this.alarms.push(stuck, failing);
    }
    new CfnOutput(scope, 'OperationsAlarmTopicArn', { value: this.topic.topicArn });
  }
}
