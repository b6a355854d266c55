import { App, CfnOutput, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type { ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import {
  consumerList,
  eventRuleList,
  routeList,
  scheduleList,
  type ConsumerDefinition,
  type EventRuleDefinition,
  type RouteDefinition,
  type ScheduleDefinition,
} from '../shared/manifest';
import { Api } from './constructs/api';
import { Auth } from './constructs/auth';
import { Data } from './constructs/data';
import { EventRules } from './constructs/event-rules';
import { StreamConsumers } from './constructs/events';
import { Mail } from './constructs/mail';
import { ScheduledJobs } from './constructs/schedules';
import { OperationsAlarms } from './constructs/alarms';
import type { GrantTargets } from './constructs/service-function';
import { Web } from './constructs/web';
import { minimumResponsesFrom } from '../shared/domain/feedback';
import type { FunctionEnvironment } from '../shared/env';
import { surveyDelaysFrom } from '../shared/domain/survey';

export interface TrainingPlatformStackProps extends StackProps {
  /** The From address of platform mail; must be an address SES can verify. */
  sesFromAddress: string;
  /** The web app's origin: CORS for the API and the base of links in mail and certificates. */
  webOrigin: string;
  /** Defaults to the manifest; tests pass their own to prove what the stack does with them. */
  routes?: readonly RouteDefinition[];
  consumers?: readonly ConsumerDefinition[];
  schedules?: readonly ScheduleDefinition[];
  eventRules?: readonly EventRuleDefinition[];
  /** The account's SES maximum send rate (emails per second); every sender keeps under it together. */
  sesMaxSendRate?: number;
  /** The fewest feedback responses behind any released figure (default 5, at least 3). */
  feedbackMinResponses?: number;
  /** The follow-up survey's delays in months after the certificate: "3" (default), or with 6 and 12 ("3,6,12"). */
  surveyDelaysMonths?: string;
  apiThrottle?: ThrottleSettings;
  routeThrottle?: Readonly<Record<string, ThrottleSettings>>;
}

/** Enough for a national cohort registering at once, small enough to shield the table. */
export const defaultApiThrottle: ThrottleSettings = { rateLimit: 100, burstLimit: 200 };

/**
 * Public lookups anyone can script (verify a code, fetch a status list or the issuer key) get
 * half the stage's share, so a scraper cannot crowd out teachers registering or trainers closing.
 */
export const publicLookupThrottle: ThrottleSettings = { rateLimit: 50, burstLimit: 100 };
export const defaultRouteThrottle: Readonly<Record<string, ThrottleSettings>> = {
  verifyCertificate: publicLookupThrottle,
  statusList: publicLookupThrottle,
  issuerKey: publicLookupThrottle,
};

/** The defaults for the routes a stack actually deploys (tests synthesize with their own lists). */
function defaultRouteThrottleFor(routes: readonly RouteDefinition[]): Record<string, ThrottleSettings> {
  const names = new Set(routes.map((route) => route.name));
  return Object.fromEntries(Object.entries(defaultRouteThrottle).filter(([name]) => names.has(name)));
}

/**
 * The whole platform in one stack. The stateful resources (table, bucket, user pool) are
 * retained and deletion-protected, which removes the usual reason to split stateful from
 * stateless; one stack also avoids cross-stack exports, which cannot change while imported.
 */
export class TrainingPlatformStack extends Stack {
  readonly data: Data;
  readonly auth: Auth;
  readonly mail: Mail;
  readonly api: Api;
  readonly streamConsumers: StreamConsumers;
  readonly scheduledJobs: ScheduledJobs;
  readonly alarms: OperationsAlarms;
  readonly eventRules: EventRules;
  readonly web: Web;

  constructor(scope: Construct, id: string, props: TrainingPlatformStackProps) {
    super(scope, id, props);

    this.data = new Data(this, 'Data');
    this.auth = new Auth(this, 'Auth', { webOrigin: props.webOrigin });
    this.mail = new Mail(this, 'Mail', { fromAddress: props.sesFromAddress });

    // Every function gets the whole contract (shared/env.ts): the type makes a variable that
    // functions read but this stack forgets a compile error, and the local runtime sets the same.
    const environment: FunctionEnvironment = {
      TABLE_NAME: this.data.table.tableName,
      CERTIFICATES_BUCKET: this.data.certificatesBucket.bucketName,
      MAIL_FROM: props.sesFromAddress,
      PUBLIC_BASE_URL: props.webOrigin,
      CHECK_IN_SECRET_ARN: this.data.checkInSecret.secretArn,
      BADGE_KEY_SECRET_ARN: this.data.badgeKeySecret.secretArn,
      CURSOR_SECRET_ARN: this.data.cursorSecret.secretArn,
      // Public by nature; handed to every function so no function needs the secret to show it.
      ISSUER_PUBLIC_JWK: this.data.badgePublicJwk,
      SES_CONFIGURATION_SET: this.mail.configurationSet.configurationSetName,
      MAIL_MAX_SEND_RATE: String(props.sesMaxSendRate ?? 14),
      // Validated here too, so a bad value fails the synth rather than every cold start.
      FEEDBACK_MIN_RESPONSES: String(minimumResponsesFrom(props.feedbackMinResponses?.toString())),
      SURVEY_DELAYS_MONTHS: surveyDelaysFrom(props.surveyDelaysMonths).join(','),
    };
    const grantTargets: GrantTargets = {
      table: this.data.table,
      certificatesBucket: this.data.certificatesBucket,
      mail: this.mail,
      checkInSecret: this.data.checkInSecret,
      badgeKeySecret: this.data.badgeKeySecret,
      cursorSecret: this.data.cursorSecret,
    };

    this.api = new Api(this, 'Api', {
      routes: props.routes ?? routeList,
      userPool: this.auth.userPool,
      userPoolClient: this.auth.webClient,
      environment,
      grantTargets,
      webOrigin: props.webOrigin,
      throttle: props.apiThrottle ?? defaultApiThrottle,
      routeThrottle: props.routeThrottle ?? defaultRouteThrottleFor(props.routes ?? routeList),
    });
    this.streamConsumers = new StreamConsumers(this, 'StreamConsumers', {
      consumers: props.consumers ?? consumerList,
      table: this.data.table,
      environment,
      grantTargets,
    });

    this.scheduledJobs = new ScheduledJobs(this, 'ScheduledJobs', {
      schedules: props.schedules ?? scheduleList,
      environment,
      grantTargets,
    });

    this.alarms = new OperationsAlarms(this, 'OperationsAlarms', {
      deadLetterQueues: new Map([...this.streamConsumers.consumers].map(([name, consumer]) => [name, consumer.deadLetterQueue])),
      sweeper: this.scheduledJobs.functions.get('sweeper'),
    });

    this.eventRules = new EventRules(this, 'EventRules', {
      eventRules: props.eventRules ?? eventRuleList,
      environment,
      grantTargets,
    });

    const signInDomain = `${this.auth.domain!.domainName}.auth.${this.region}.amazoncognito.com`;
    this.web = new Web(this, 'Web', {
      httpApi: this.api.httpApi,
      accessLogsBucket: this.data.accessLogsBucket,
      config: {
        auth: { kind: 'cognito', domain: signInDomain, clientId: this.auth.webClient.userPoolClientId, region: this.region },
        publicBaseUrl: props.webOrigin,
      },
      connectSources: [`https://${signInDomain}`],
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    new CfnOutput(this, 'WebDistributionDomain', { value: this.web.distribution.distributionDomainName });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.auth.webClient.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'CertificatesBucketName', {
      value: this.data.certificatesBucket.bucketName,
    });
    for (const [name, consumer] of this.streamConsumers.consumers) {
      new CfnOutput(this, `${name}DeadLetterQueueUrl`, {
        value: consumer.deadLetterQueue.queueUrl,
      });
    }
  }
}

export interface BuildAppOptions {
  /**
   * Extra context, as `cdk --context` would give. Tests pass cdk.json's context (the CLI reads
   * it, an in-process App does not) and `'aws:cdk:bundling-stacks': []` to skip esbuild.
   */
  context?: Record<string, unknown>;
  routes?: readonly RouteDefinition[];
  consumers?: readonly ConsumerDefinition[];
  schedules?: readonly ScheduleDefinition[];
  eventRules?: readonly EventRuleDefinition[];
  routeThrottle?: Readonly<Record<string, ThrottleSettings>>;
}

/**
 * Feature flags that shape this template. They live here rather than in cdk.json because tests
 * build the app in-process, where cdk.json is never read; both paths must give one template.
 */
const featureFlags = {
  // Access-log delivery by bucket policy, as ACLs are disabled on the logs bucket.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
};

const stackName = 'CascadeTraining';

export function buildApp(options: BuildAppOptions = {}): {
  app: App;
  stack: TrainingPlatformStack;
} {
  const app = new App({ context: { ...featureFlags, ...options.context } });
  const stack = new TrainingPlatformStack(app, stackName, {
    description: 'Cascade-training logistics platform: API, table, certificates, mail, auth.',
    sesFromAddress: requiredStringContext(app, 'sesFromAddress'),
    webOrigin: requiredStringContext(app, 'webOrigin'),
    routes: options.routes,
    consumers: options.consumers,
    schedules: options.schedules,
    eventRules: options.eventRules,
    sesMaxSendRate: optionalNumberContext(app, 'sesMaxSendRate'),
    feedbackMinResponses: optionalNumberContext(app, 'feedbackMinResponses'),
    surveyDelaysMonths: optionalStringContext(app, 'surveyDelaysMonths'),
    routeThrottle: options.routeThrottle,
  });
  // cdk-nag v3 is a policy-validation plugin: a violation fails synthesis, in the CLI and in tests.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}

function requiredStringContext(app: App, key: string): string {
  const value: unknown = app.node.tryGetContext(key);
  if (typeof value !== 'string' || value === '') {
    throw new Error(`Context "${key}" must be a non-empty string (set it in cdk.json).`);
  }
  return value;
}

function optionalStringContext(app: App, key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined) return undefined;
  // `-c surveyDelaysMonths=3,6,12` arrives as a string; cdk.json may hold a list of numbers.
  if (Array.isArray(value)) return value.map(String).join(',');
  if (typeof value !== 'string' && typeof value !== 'number') throw new Error(`Context "${key}" must be a string such as "3,6,12".`);
  return String(value);
}

function optionalNumberContext(app: App, key: string): number | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`Context "${key}" must be a whole number of at least 1.`);
  return number;
}
