import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { routeKey } from '../../infra/constructs/api';
import { maxRecordAge } from '../../infra/constructs/events';
import type { ServiceFunction } from '../../infra/constructs/service-function';
import { roles } from '../../shared/auth/roles';
import { buildApp, defaultApiThrottle, publicLookupThrottle, type BuildAppOptions } from '../../infra/stack';
import {
  consumerList,
  eventRuleList,
  routeList,
  scheduleList,
  type ConsumerDefinition,
  type Permissions,
  type RouteDefinition,
  type ScheduleDefinition,
} from '../../shared/manifest';
import { tableShape } from '../../shared/store/table';

interface CdkJson {
  context: Record<string, unknown>;
}

/** The CLI reads cdk.json; an in-process App does not, so the tests hand its context over. */
const cdkContext = (
  JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as CdkJson
).context;

function synthesize(options: Omit<BuildAppOptions, 'context'> = {}) {
  // An empty bundling-stacks list makes NodejsFunction skip esbuild (about 20 s for the app).
  const { app, stack } = buildApp({
    ...options,
    context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] },
  });
  return { app, stack, template: Template.fromStack(stack) };
}

const { stack, template } = synthesize();

const manifestFunctionCount = routeList.length + consumerList.length + scheduleList.length + eventRuleList.length;
/** The post-confirmation trigger: not an API, stream or schedule function, so not in the manifest. */
const cognitoTriggerCount = 1;
/** CDK's bucket-deployment function, which copies the web app into its bucket on deploy. */
const webDeploymentCount = 1;
/** Derives the badge key's public JWK at deploy time (infra/constructs/data.ts): not in the manifest either. */
const deployTimeCount = 1;

/** The properties of every function the manifest declares: all of them but the Cognito trigger. */
function manifestFunctionProperties(): unknown[] {
  const functions = Object.entries(resourcesOf<unknown>(template, 'AWS::Lambda::Function'));
  const platform = functions.filter(
    ([id]) => id !== logicalId(stack.auth.postConfirmation) && id !== logicalId(stack.data.badgePublicKeyFunction) && !isWebDeployment(id),
  );
  expect(platform).toHaveLength(manifestFunctionCount);
  return platform.map(([, resource]) => resource.Properties);
}

function logicalId(construct: IConstruct): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

interface ResourceJson<P> {
  Type: string;
  Properties: P;
  DependsOn?: string[];
}

/** CDK's singleton function behind BucketDeployment (the web app's upload). */
function isWebDeployment(logicalResourceId: string): boolean {
  return logicalResourceId.startsWith('CustomCDKBucketDeployment');
}

function resourceById(id: string): unknown {
  return (template.toJSON() as { Resources: Record<string, unknown> }).Resources[id];
}

function resourcesOf<P>(source: Template, type: string): Record<string, ResourceJson<P>> {
  return source.findResources(type) as Record<string, ResourceJson<P>>;
}

function deployedRouteKeys(source: Template): string[] {
  return Object.values(resourcesOf<{ RouteKey: string }>(source, 'AWS::ApiGatewayV2::Route')).map(
    (route) => route.Properties.RouteKey,
  );
}

interface PolicyProperties {
  Roles: { Ref: string }[];
  PolicyDocument: { Statement: PolicyStatementJson[] };
}

interface PolicyStatementJson {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
}

/** Every statement a role holds: its inline policies and any `AWS::IAM::Policy` attached to it. */
function statementsOfRole(roleId: string): PolicyStatementJson[] {
  const role = resourcesOf<{ Policies?: { PolicyDocument: { Statement: PolicyStatementJson[] } }[] }>(template, 'AWS::IAM::Role')[roleId];
  if (role === undefined) throw new Error(`No role ${roleId}`);
  const inline = (role.Properties.Policies ?? []).flatMap((policy) => policy.PolicyDocument.Statement);
  const attached = Object.values(resourcesOf<PolicyProperties>(template, 'AWS::IAM::Policy'))
    .filter((policy) => policy.Properties.Roles.some((reference) => reference.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
  return [...inline, ...attached];
}

/** Every statement of every role and policy in the template. */
function allStatements(): PolicyStatementJson[] {
  return Object.keys(resourcesOf(template, 'AWS::IAM::Role')).flatMap((roleId) => statementsOfRole(roleId));
}

function allowedActions(fn: ServiceFunction): string[] {
  if (fn.role === undefined) throw new Error(`${fn.node.path} has no role`);
  return statementsOfRole(logicalId(fn.role))
    .filter((statement) => statement.Effect === 'Allow')
    .flatMap((statement) => [statement.Action].flat());
}

describe('data', () => {
  it('builds the table from the shared table shape', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: tableShape.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableShape.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: tableShape.globalIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: tableShape.partitionKey, AttributeType: 'S' },
        { AttributeName: tableShape.sortKey, AttributeType: 'S' },
      ]),
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamViewType: tableShape.streamViewType },
    });
  });

  it('expires items by the attribute the code stamps them with (send-rate windows)', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: tableShape.timeToLiveAttribute, Enabled: true },
    });
    expect(tableShape.timeToLiveAttribute).toBe('expiresAt');
  });

  it('protects the table against loss', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      }),
    });
  });

  it('keeps certificates private, encrypted, versioned, logged and retained', () => {
    expect(resourceById(logicalId(stack.data.certificatesBucket))).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: {
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LoggingConfiguration: {
          DestinationBucketName: { Ref: logicalId(stack.data.accessLogsBucket) },
        },
      },
    });
  });

  it('refuses plain-HTTP access to the certificates bucket', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(stack.data.certificatesBucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});

describe('functions', () => {
  it('stays under CloudFormation\'s 500 resources per stack, with room for five more routes', () => {
    const resources = Object.keys((template.toJSON() as { Resources: Record<string, unknown> }).Resources).length;
    // A route costs six resources: function, role, log group, integration, route, invoke permission.
    // When this fails, the next routes go into nested stacks (README, Deploying).
    expect(resources + 5 * 6).toBeLessThanOrEqual(500);
  });

  it('keeps each function\'s grants inside its own role, attached to no other', () => {
    const functions = [...stack.api.functions.values(), ...[...stack.streamConsumers.consumers.values()].map((consumer) => consumer.function)];
    for (const fn of functions) {
      const roleId = logicalId(fn.role ?? fn);
      const attached = Object.values(resourcesOf<PolicyProperties>(template, 'AWS::IAM::Policy')).filter((policy) =>
        policy.Properties.Roles.some((reference) => reference.Ref === roleId),
      );
      expect(attached, fn.node.path).toEqual([]);
      const sharing = Object.values(resourcesOf<{ Role: unknown }>(template, 'AWS::Lambda::Function')).filter(
        (other) => JSON.stringify(other.Properties.Role) === JSON.stringify({ 'Fn::GetAtt': [roleId, 'Arn'] }),
      );
      expect(sharing, fn.node.path).toHaveLength(1);
    }
  });

  it('creates one function per manifest route, consumer and schedule, and no others', () => {
    template.resourceCountIs('AWS::Lambda::Function', manifestFunctionCount + cognitoTriggerCount + deployTimeCount + webDeploymentCount);
    expect(Object.keys(resourcesOf(template, 'AWS::Lambda::Function')).filter((id) => isWebDeployment(id))).toHaveLength(webDeploymentCount);
    expect([...stack.api.functions.keys()].sort()).toEqual(routeList.map((r) => r.name).sort());
    expect([...stack.streamConsumers.consumers.keys()].sort()).toEqual(
      consumerList.map((c) => c.name).sort(),
    );
  });

  it('runs every function of ours on Node.js 22, arm64, ESM bundle, with source maps', () => {
    const functions = Object.entries(resourcesOf<Record<string, unknown>>(template, 'AWS::Lambda::Function')).filter(([id]) => !isWebDeployment(id));
    expect(functions).toHaveLength(manifestFunctionCount + cognitoTriggerCount + deployTimeCount);
    for (const [, fn] of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        LoggingConfig: { LogGroup: { Ref: expect.any(String) as unknown } },
        Environment: {
          Variables: {
            NODE_OPTIONS: '--enable-source-maps',
            POWERTOOLS_SERVICE_NAME: expect.anything() as unknown,
          },
        },
      });
    }
  });

  it('gives every manifest function the platform config', () => {
    for (const properties of manifestFunctionProperties()) {
      expect(properties).toMatchObject({
        Environment: {
          Variables: {
            TABLE_NAME: { Ref: logicalId(stack.data.table) },
            CERTIFICATES_BUCKET: { Ref: logicalId(stack.data.certificatesBucket) },
            MAIL_FROM: cdkContext.sesFromAddress,
            PUBLIC_BASE_URL: cdkContext.webOrigin,
          },
        },
      });
    }
  });

  it('gives every function log group a retention period', () => {
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.anyValue() });
  });

  it('applies the manifest timeouts', () => {
    for (const entry of [...routeList, ...consumerList]) {
      if (entry.timeoutSeconds === undefined) continue;
      expect(resourceById(logicalId(functionFor(entry)))).toMatchObject({
        Properties: { Timeout: entry.timeoutSeconds },
      });
    }
  });
});

describe('api', () => {
  const authorizers = resourcesOf<{ AuthorizerType: string }>(
    template,
    'AWS::ApiGatewayV2::Authorizer',
  );
  const [authorizerId] = Object.keys(authorizers);

  it('has one JWT authorizer over the Cognito user pool and web client', () => {
    expect(Object.keys(authorizers)).toHaveLength(1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: logicalId(stack.auth.webClient) }],
        Issuer: Match.objectLike({
          'Fn::Join': ['', Match.arrayWith([{ Ref: logicalId(stack.auth.userPool) }])],
        }),
      },
    });
  });

  it('deploys exactly the manifest routes', () => {
    expect(deployedRouteKeys(template).sort()).toEqual(routeList.map(routeKey).sort());
  });

  for (const route of routeList) {
    const isPublic = route.access === 'public';
    it(`${routeKey(route)} is ${isPublic ? 'public' : 'behind the JWT authorizer'}`, () => {
      template.hasResourceProperties(
        'AWS::ApiGatewayV2::Route',
        isPublic
          ? { RouteKey: routeKey(route), AuthorizationType: 'NONE', AuthorizerId: Match.absent() }
          : {
              RouteKey: routeKey(route),
              AuthorizationType: 'JWT',
              AuthorizerId: { Ref: authorizerId },
            },
      );
    });
  }

  it('deploys no /api/local route', () => {
    const underApiLocal = /^\S+ \/api\/local(\/|$)/;
    const localRoutes = deployedRouteKeys(template).filter((key) => underApiLocal.test(key));
    expect(localRoutes).toEqual([]);
  });

  it('throttles the stage and writes access logs', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: defaultApiThrottle.rateLimit,
        ThrottlingBurstLimit: defaultApiThrottle.burstLimit,
      },
      AccessLogSettings: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('requestId'),
      },
    });
  });

  it('allows the web origin through CORS', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: [cdkContext.webOrigin] }),
    });
  });
});

describe('api, given a local-only route and a per-route throttle', () => {
  const localRoute: RouteDefinition = {
    name: 'localReset',
    method: 'POST',
    path: '/api/local/reset',
    // Never resolved: a local-only route must not even reach bundling.
    handler: 'local/does-not-exist.ts',
    access: 'public',
    permissions: { table: 'readWrite' },
  };
  const publicRoute = routeList.find((route) => route.access === 'public');
  if (publicRoute === undefined) throw new Error('The manifest has no public route to throttle');
  const strict = synthesize({
    routes: [...routeList, localRoute],
    routeThrottle: { [publicRoute.name]: { rateLimit: 5, burstLimit: 10 } },
  });

  it('leaves the local-only route out of the deployment', () => {
    expect(deployedRouteKeys(strict.template)).not.toContain(routeKey(localRoute));
    expect(strict.stack.api.functions.has(localRoute.name)).toBe(false);
    strict.template.resourceCountIs('AWS::Lambda::Function', manifestFunctionCount + cognitoTriggerCount + deployTimeCount + webDeploymentCount);
  });

  it('throttles the named route more strictly than the stage', () => {
    const [stage] = Object.values(
      resourcesOf<{ RouteSettings: unknown }>(strict.template, 'AWS::ApiGatewayV2::Stage'),
    );
    expect(stage?.Properties.RouteSettings).toEqual({
      [routeKey(publicRoute)]: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
    });
    // The settings name a route key, so CloudFormation must create that route first.
    const routeIds = Object.entries(
      resourcesOf<{ RouteKey: string }>(strict.template, 'AWS::ApiGatewayV2::Route'),
    )
      .filter(([, route]) => route.Properties.RouteKey === routeKey(publicRoute))
      .map(([id]) => id);
    expect(stage?.DependsOn).toEqual(expect.arrayContaining(routeIds));
  });
});

describe('stream consumers', () => {
  for (const consumer of consumerList) {
    const { function: fn, deadLetterQueue } = consumerFor(consumer);

    it(`${consumer.name} reads the stream with the manifest filters and failure handling`, () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: logicalId(fn) },
        EventSourceArn: { 'Fn::GetAtt': [logicalId(stack.data.table), 'StreamArn'] },
        FilterCriteria: {
          Filters: consumer.filters.map((filter) => ({ Pattern: JSON.stringify(filter) })),
        },
        BatchSize: consumer.batchSize,
        StartingPosition: 'TRIM_HORIZON',
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRetryAttempts: consumer.maxRetries,
        MaximumRecordAgeInSeconds: maxRecordAge.toSeconds(),
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(deadLetterQueue), 'Arn'] } },
        },
      });
    });

    it(`${consumer.name} has an encrypted, TLS-only dead-letter queue kept for 14 days`, () => {
      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 60 * 60,
      });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalId(deadLetterQueue) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    });
  }
});

describe('least privilege', () => {
  const tableReads = ['dynamodb:GetItem', 'dynamodb:Query'];
  const tableWrites = [
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
  ];
  const tableData = [...tableReads, ...tableWrites];

  const entries: { kind: string; entry: RouteDefinition | ConsumerDefinition }[] = [
    ...routeList.map((entry) => ({ kind: 'route', entry })),
    ...consumerList.map((entry) => ({ kind: 'consumer', entry })),
  ];
  for (const { kind, entry } of entries) {
    it(`${kind} ${entry.name} gets exactly ${describePermissions(entry.permissions)}`, () => {
      const actions = allowedActions(functionFor(entry));
      const { table, certificatesBucket, sendEmail } = entry.permissions;

      const tableActions = actions.filter((action) => tableData.includes(action));
      const expectedTableActions =
        table === undefined ? [] : table === 'read' ? tableReads : [...tableReads, ...tableWrites];
      expect(tableActions.sort()).toEqual([...expectedTableActions].sort());

      const s3Actions = actions.filter((action) => action.startsWith('s3:'));
      if (certificatesBucket === undefined) expect(s3Actions).toEqual([]);
      else expect(s3Actions).toContain('s3:GetObject*');
      if (certificatesBucket === 'readWrite') expect(s3Actions).toContain('s3:PutObject');
      else expect(s3Actions).not.toContain('s3:PutObject');
      // Issued certificates are never deleted, not even by the function that writes them.
      expect(s3Actions.filter((action) => action.startsWith('s3:Delete'))).toEqual([]);

      const sesActions = actions.filter((action) => action.startsWith('ses:'));
      const expectedSesActions = sendEmail === true ? ['ses:SendEmail', 'ses:SendRawEmail'] : [];
      expect(sesActions.sort()).toEqual(expectedSesActions);
    });
  }

  it('lets a function write logs only to its own log group', () => {
    const functions = [
      ...stack.api.functions.values(),
      ...[...stack.streamConsumers.consumers.values()].map((consumer) => consumer.function),
    ];
    for (const fn of functions) {
      const logStatements = statementsOfRole(logicalId(fn.role ?? fn)).filter((statement) =>
        [statement.Action].flat().some((action) => action.startsWith('logs:')),
      );
      expect(logStatements).toEqual([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logicalId(fn.logGroup), 'Arn'] },
        },
      ]);
    }
    // No AWSLambdaBasicExecutionRole: it would allow writing to every log group in the account.

    // The one exception is CDK's bucket-deployment function, which runs only while deploying.
    const withManagedPolicies = Object.entries(resourcesOf<{ ManagedPolicyArns?: unknown }>(template, 'AWS::IAM::Role'))
      .filter(([, role]) => role.Properties.ManagedPolicyArns !== undefined)
      .map(([id]) => id);
    expect(withManagedPolicies).toHaveLength(1);
    expect(withManagedPolicies.every((id) => isWebDeployment(id))).toBe(true);
  });
});

describe('auth', () => {
  it('lets teachers sign up with their email under a strong password policy', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: Match.anyValue(),
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'region', AttributeDataType: 'String', Mutable: true }),
      ]),
    });
  });

  it('creates one group per role', () => {
    template.resourceCountIs('AWS::Cognito::UserPoolGroup', roles.length);
    for (const role of roles) {
      template.hasResourceProperties('AWS::Cognito::UserPoolGroup', {
        GroupName: role,
        UserPoolId: { Ref: logicalId(stack.auth.userPool) },
      });
    }
  });

  it('puts confirmed self sign-ups into the teachers group, with no right beyond that', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: { PostConfirmation: Match.anyValue() },
    });
    const statements = allStatements();
    const cognitoActions = statements.flatMap((statement) => [statement.Action].flat()).filter((action) => action.startsWith('cognito-idp:'));
    expect(cognitoActions).toEqual(['cognito-idp:AdminAddUserToGroup']);
  });

  it('gives the web app an SRP client without a secret that cannot change custom:region', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_SRP_AUTH']),
      ReadAttributes: Match.arrayWith(['custom:region']),
      WriteAttributes: Match.not(Match.arrayWith(['custom:region'])),
    });
  });
});

describe('mail', () => {
  it('verifies the configured From address with a default configuration set', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: cdkContext.sesFromAddress,
      ConfigurationSetAttributes: {
        ConfigurationSetName: { Ref: logicalId(stack.mail.configurationSet) },
      },
    });
  });
});

describe('mail delivery events', () => {
  it('publishes send, delivery, bounce and complaint events of the configuration set to the default bus', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: logicalId(stack.mail.configurationSet) },
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: Match.arrayEquals(['send', 'delivery', 'bounce', 'complaint']),
        EventBridgeDestination: {
          EventBusArn: Match.anyValue(),
        },
      }),
    });
  });

  it('routes those events to the manifest handler with a rule on their source and types', () => {
    for (const rule of eventRuleList) {
      const fn = stack.eventRules.functions.get(rule.name);
      expect(fn, rule.name).toBeDefined();
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { source: rule.pattern.source, 'detail-type': rule.pattern['detail-type'] },
        Targets: Match.arrayWith([Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(fn!), 'Arn'] } })]),
      });
      // Table access only: the handler reads tags, not the bucket, and sends nothing.
      const actions = allowedActions(fn!);
      expect(actions.filter((action) => action.startsWith('ses:') || action.startsWith('s3:'))).toEqual([]);
      expect(actions).toContain('dynamodb:UpdateItem');
    }
  });

  it('tells every function the configuration set and the send rate', () => {
    for (const properties of manifestFunctionProperties()) {
      expect(properties).toMatchObject({
        Environment: {
          Variables: {
            SES_CONFIGURATION_SET: { Ref: logicalId(stack.mail.configurationSet) },
            MAIL_MAX_SEND_RATE: '14',
          },
        },
      });
    }
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no violation, error or warning, that lacks an acknowledgement', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);
    const violations = report.violations.map((violation) => {
      const paths = violation.violatingResources.map((resource) => resource.constructPath);
      return `${violation.ruleName} at ${paths.join(', ')}`;
    });
    expect(violations).toEqual([]);
  });

  it('is registered on the app, so a violation fails synthesis', () => {
    const { app, stack: sloppyStack } = buildApp({
      context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] },
    });
    // An unacknowledged resource the pack must reject (no TLS enforcement, no access logs).
    new Bucket(sloppyStack, 'Sloppy');
    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
  });
});

function functionFor(entry: RouteDefinition | ConsumerDefinition): ServiceFunction {
  const fn =
    stack.api.functions.get(entry.name) ??
    stack.streamConsumers.consumers.get(entry.name)?.function;
  if (fn === undefined) throw new Error(`No function for manifest entry ${entry.name}`);
  return fn;
}

function consumerFor(consumer: ConsumerDefinition) {
  const built = stack.streamConsumers.consumers.get(consumer.name);
  if (built === undefined) throw new Error(`No stream consumer ${consumer.name}`);
  return built;
}

function describePermissions(permissions: Permissions): string {
  const { table, certificatesBucket, sendEmail } = permissions;
  const parts = [
    table === undefined ? undefined : `table ${table}`,
    certificatesBucket === undefined ? undefined : `bucket ${certificatesBucket}`,
    sendEmail === true ? 'sendEmail' : undefined,
  ].filter((part) => part !== undefined);
  return parts.length === 0 ? 'nothing' : parts.join(', ');
}

describe('scheduled jobs', () => {
  const reminder: ScheduleDefinition = {
    name: 'probeSchedule',
    handler: 'functions/http/health.ts',
    everyMinutes: 15,
    permissions: { table: 'read' },
  };
  const scheduled = synthesize({ schedules: [reminder] });

  it('runs each manifest schedule from an EventBridge rule at its rate', () => {
    const fn = scheduled.stack.scheduledJobs.functions.get('probeSchedule')!;
    scheduled.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
      Targets: Match.arrayWith([
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [scheduled.stack.getLogicalId(fn.node.defaultChild as CfnElement), 'Arn'] },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }),
        }),
      ]),
    });
  });

  it('deploys exactly one rule per manifest schedule and event rule', () => {
    template.resourceCountIs('AWS::Events::Rule', scheduleList.length + eventRuleList.length);
  });
});

/** The secrets (by logical id) a function may read: GetSecretValue statements and their resources. */
function secretsReadBy(fn: ServiceFunction): string[] {
  if (fn.role === undefined) throw new Error(`${fn.node.path} has no role`);
  return statementsOfRole(logicalId(fn.role))
    .filter((statement) => statement.Effect === 'Allow' && [statement.Action].flat().includes('secretsmanager:GetSecretValue'))
    .flatMap((statement) => [statement.Resource].flat().map((resource) => (resource as { Ref?: string }).Ref ?? JSON.stringify(resource)));
}

describe('check-in secret', () => {
  it('lets exactly the functions whose manifest entry asks for it read the check-in key', () => {
    const withSecret = routeList.filter((route) => route.permissions.checkInSecret === true);
    expect(withSecret.length).toBeGreaterThan(0);
    const secretId = logicalId(stack.data.checkInSecret);
    for (const route of routeList) {
      const reads = secretsReadBy(functionFor(route)).includes(secretId);
      expect(reads, route.name).toBe(route.permissions.checkInSecret === true);
    }
  });
});

describe('badge signing key', () => {
  it('lets exactly the functions that sign credentials read the badge key, and nothing else read any secret', () => {
    const signers = routeList.filter((route) => route.permissions.badgeKey === true).map((route) => route.name);
    expect(signers).toEqual(expect.arrayContaining(['certificateCredential', 'statusList']));
    expect(signers).not.toContain('issuerKey');
    const badgeId = logicalId(stack.data.badgeKeySecret);
    const checkInId = logicalId(stack.data.checkInSecret);
    const cursorId = logicalId(stack.data.cursorSecret);
    for (const entry of [...routeList, ...consumerList]) {
      const expected = [
        ...(entry.permissions.checkInSecret === true ? [checkInId] : []),
        ...(entry.permissions.badgeKey === true ? [badgeId] : []),
        ...(entry.permissions.cursorKey === true ? [cursorId] : []),
      ];
      expect(secretsReadBy(functionFor(entry)).sort(), entry.name).toEqual(expected.sort());
    }
  });

  it('is generated by CloudFormation, retained, and named to every function by its ARN', () => {
    const secret = resourceById(logicalId(stack.data.badgeKeySecret)) as ResourceJson<{ GenerateSecretString: unknown }> & {
      DeletionPolicy?: string;
    };
    expect(secret.Type).toBe('AWS::SecretsManager::Secret');
    expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 64 });
    expect(secret.DeletionPolicy).toBe('Retain');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: routeKey(routeList.find((route) => route.name === 'statusList')!),
      Environment: { Variables: Match.objectLike({ BADGE_KEY_SECRET_ARN: { Ref: logicalId(stack.data.badgeKeySecret) } }) },
    });
  });
});

describe('public issuer key', () => {
  const route = routeList.find((entry) => entry.name === 'issuerKey')!;
  const customResources = resourcesOf<{ ServiceToken: unknown; SecretArn: unknown }>(template, 'Custom::BadgePublicJwk');

  it('lets the public route read no secret, parameter or key at all: it gets the public JWK as configuration', () => {
    const fn = functionFor(route);
    expect(route.access).toBe('public');
    expect(route.permissions).toEqual({});
    const actions = allowedActions(fn);
    expect(actions.filter((action) => /^(secretsmanager|ssm|kms|dynamodb|s3):/i.test(action) || action === '*')).toEqual([]);
    expect(secretsReadBy(fn)).toEqual([]);
    const [resourceId] = Object.keys(customResources);
    expect(Object.keys(customResources)).toHaveLength(1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: routeKey(route),
      Environment: { Variables: Match.objectLike({ ISSUER_PUBLIC_JWK: { 'Fn::GetAtt': [resourceId, 'PublicJwk'] } }) },
    });
  });

  it('derives the JWK at deploy time in a function that reads only the badge secret and that no route or event reaches', () => {
    const deployFn = stack.data.badgePublicKeyFunction;
    const [resource] = Object.values(customResources);
    expect(resource?.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [logicalId(deployFn), 'Arn'] });
    expect(resource?.Properties.SecretArn).toEqual({ Ref: logicalId(stack.data.badgeKeySecret) });
    expect(secretsReadBy(deployFn)).toEqual([logicalId(stack.data.badgeKeySecret)]);
    expect(allowedActions(deployFn).filter((action) => !/^(secretsmanager:(GetSecretValue|DescribeSecret)|logs:)/.test(action))).toEqual([]);
    const invokers = Object.values(resourcesOf<{ FunctionName: unknown; Principal: string }>(template, 'AWS::Lambda::Permission')).filter(
      (permission) => JSON.stringify(permission.Properties.FunctionName).includes(logicalId(deployFn)),
    );
    expect(invokers).toEqual([]);
    expect(JSON.stringify(resourcesOf(template, 'AWS::Lambda::EventSourceMapping'))).not.toContain(logicalId(deployFn));
  });
});

describe('cursor sealing key', () => {
  it('is read by exactly the routes that page, generated, retained and named by its ARN', () => {
    const paging = routeList.filter((route) => route.permissions.cursorKey === true).map((route) => route.name);
    expect(paging).toEqual(expect.arrayContaining(['listTrainings', 'myTrainings', 'roster', 'myCertificates', 'cascadeReport', 'multipliersReport']));
    const cursorId = logicalId(stack.data.cursorSecret);
    for (const entry of [...routeList, ...consumerList]) {
      expect(secretsReadBy(functionFor(entry)).includes(cursorId), entry.name).toBe(entry.permissions.cursorKey === true);
    }
    const secret = resourceById(cursorId) as ResourceJson<{ GenerateSecretString: unknown }> & { DeletionPolicy?: string };
    expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 64 });
    expect(secret.DeletionPolicy).toBe('Retain');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: routeKey(routeList.find((route) => route.name === 'listTrainings')!),
      Environment: { Variables: Match.objectLike({ CURSOR_SECRET_ARN: { Ref: cursorId } }) },
    });
  });
});

describe('public lookups', () => {
  it('throttle verify, status lists and the issuer key below the stage by default', () => {
    const [stage] = Object.values(resourcesOf<{ RouteSettings: Record<string, unknown> }>(template, 'AWS::ApiGatewayV2::Stage'));
    const strict = { ThrottlingRateLimit: publicLookupThrottle.rateLimit, ThrottlingBurstLimit: publicLookupThrottle.burstLimit };
    expect(publicLookupThrottle).toEqual({ rateLimit: 50, burstLimit: 100 });
    expect(stage?.Properties.RouteSettings).toEqual({
      'GET /api/verify/{code}': strict,
      'GET /api/status-lists/{listId}': strict,
      'GET /api/issuer/key': strict,
    });
    expect(publicLookupThrottle.rateLimit!).toBeLessThan(defaultApiThrottle.rateLimit!);
  });
});

describe('web', () => {
  const distributions = resourcesOf<{ DistributionConfig: Record<string, unknown> }>(template, 'AWS::CloudFront::Distribution');
  const [distribution] = Object.values(distributions);
  const config = distribution!.Properties.DistributionConfig as {
    DefaultCacheBehavior: { FunctionAssociations: { EventType: string; FunctionARN: unknown }[]; ResponseHeadersPolicyId: unknown; ViewerProtocolPolicy: string };
    CacheBehaviors: { PathPattern: string; TargetOriginId: string; AllowedMethods: string[]; CachePolicyId: string; OriginRequestPolicyId: string }[];
    Origins: { Id: string; DomainName: unknown; S3OriginConfig?: unknown; OriginAccessControlId?: unknown; CustomOriginConfig?: { OriginProtocolPolicy: string } }[];
    CustomErrorResponses?: unknown;
    Logging?: unknown;
  };

  it('serves the app from a private bucket through origin access control', () => {
    expect(Object.keys(distributions)).toHaveLength(1);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: Match.absent(),
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(stack.data.accessLogsBucket) }, LogFilePrefix: 'web/' },
    });
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    const s3Origin = config.Origins.find((origin) => origin.S3OriginConfig !== undefined);
    expect(s3Origin?.OriginAccessControlId).toBeDefined();
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(stack.web.bucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('routes /api/* to the HTTP API on the same origin, uncached, every method, over HTTPS', () => {
    const api = config.CacheBehaviors.find((behavior) => behavior.PathPattern === '/api/*');
    expect(api).toMatchObject({
      AllowedMethods: expect.arrayContaining(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']) as unknown,
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', // Managed-AllViewerExceptHostHeader
    });
    const apiOrigin = config.Origins.find((origin) => origin.Id === api?.TargetOriginId);
    expect(apiOrigin?.CustomOriginConfig?.OriginProtocolPolicy).toBe('https-only');
    expect(JSON.stringify(apiOrigin?.DomainName)).toContain(logicalId(stack.api.httpApi));
  });

  it('falls back to index.html for page paths only, leaving API 404s alone', () => {
    expect(config.CustomErrorResponses).toBeUndefined();
    expect(config.DefaultCacheBehavior.FunctionAssociations.map((association) => association.EventType)).toEqual(['viewer-request']);
    const [fn] = Object.values(resourcesOf<{ FunctionCode: string }>(template, 'AWS::CloudFront::Function'));
    // The function body runs in CloudFront; here it is run on sample paths.
    const handler = runInNewContext(`${fn!.Properties.FunctionCode}; handler`) as (event: { request: { uri: string } }) => { uri: string };
    expect(handler({ request: { uri: '/verify/K7Q2MX' } }).uri).toBe('/index.html');
    expect(handler({ request: { uri: '/' } }).uri).toBe('/index.html');
    expect(handler({ request: { uri: '/assets/main-ABC.js' } }).uri).toBe('/assets/main-ABC.js');
    expect(handler({ request: { uri: '/config.json' } }).uri).toBe('/config.json');
  });

  it('sends security headers and logs requests', () => {
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.Logging).toBeDefined();
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: {
          ContentSecurityPolicy: { ContentSecurityPolicy: Match.anyValue(), Override: true },
          StrictTransportSecurity: { AccessControlMaxAgeSec: 31_536_000, IncludeSubdomains: true, Override: true },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
        },
      },
    });
  });

  it('allows scripts, styles and API calls from the origin only (and the sign-in domain for tokens)', () => {
    const csp = JSON.stringify(Object.values(resourcesOf(template, 'AWS::CloudFront::ResponseHeadersPolicy'))[0]);
    for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "connect-src 'self' https://"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
  });

  it('deploys the built app with a config.json naming the hosted sign-in and the public origin', () => {
    const [deployment] = Object.values(resourcesOf<{ SourceMarkers?: unknown[]; DistributionPaths?: string[] }>(template, 'Custom::CDKBucketDeployment'));
    expect(deployment?.Properties.DistributionPaths).toEqual(['/index.html', '/config.json']);
    const markers = JSON.stringify(deployment?.Properties.SourceMarkers);
    // The client id and the sign-in domain are deploy-time values, filled into config.json by CloudFormation.
    expect(markers).toContain(logicalId(stack.auth.webClient));
    expect(markers).toContain(stack.getLogicalId(stack.auth.domain!.node.defaultChild as CfnElement));
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['code'],
      CallbackURLs: [`${cdkContext.webOrigin as string}/auth/callback`],
    });
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
  });
});

describe('failure comes back, and someone hears of it', () => {
  it('runs the sweeper every 5 minutes with what it re-drives: the table, the bucket and email', () => {
    const sweeper = stack.scheduledJobs.functions.get('sweeper');
    expect(sweeper).toBeDefined();
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: Match.arrayWith([Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(sweeper!), 'Arn'] } })]),
    });
  });

  it('alarms on every dead-letter queue holding a message, and on the sweeper finding stuck work', () => {
    const topic = logicalId(stack.alarms.topic);
    for (const [, consumer] of stack.streamConsumers.consumers) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(consumer.deadLetterQueue), 'QueueName'] } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: topic }],
      });
    }
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.message = "Sweep run" && $.stuck > 0 }',
      MetricTransformations: [Match.objectLike({ MetricName: 'SweeperStuckWork', MetricValue: '$.stuck' })],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'SweeperStuckWork',
      Threshold: 1,
      AlarmActions: [{ Ref: topic }],
    });
  });
});
