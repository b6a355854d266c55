import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import type { ScheduleDefinition } from '../../shared/manifest';
import { constructIdFor, ServiceFunction, type GrantTargets } from './service-function';

export interface ScheduledJobsProps {
  schedules: readonly ScheduleDefinition[];
  environment: Readonly<Record<string, string>>;
  grantTargets: GrantTargets;
}

/** One function and one EventBridge rule per manifest schedule. */
export class ScheduledJobs extends Construct {
  readonly functions: ReadonlyMap<string, ServiceFunction>;

  constructor(scope: Construct, id: string, props: ScheduledJobsProps) {
    super(scope, id);
    const functions = new Map<string, ServiceFunction>();
    for (const schedule of props.schedules) {
      const id = constructIdFor(schedule.name);
      const fn = new ServiceFunction(this, `${id}Function`, {
        handlerPath: schedule.handler,
        description: `Scheduled every ${schedule.everyMinutes} min: ${schedule.name}`,
        environment: props.environment,
        timeoutSeconds: schedule.timeoutSeconds,
        memoryMb: schedule.memoryMb,
        bundlesCertificateFonts: schedule.permissions.certificatesBucket === 'readWrite',
      });
      fn.grantManifestPermissions(schedule.permissions, props.grantTargets);
      new events.Rule(this, `${id}Rule`, {
        description: `Runs ${schedule.name}`,
        schedule: events.Schedule.rate(Duration.minutes(schedule.everyMinutes)),
        // A run that fails is retried briefly; the next tick covers anything it missed.
        targets: [new targets.LambdaFunction(fn, { retryAttempts: 2, maxEventAge: Duration.minutes(schedule.everyMinutes) })],
      });
      functions.set(schedule.name, fn);
    }
    this.functions = functions;
  }
}
