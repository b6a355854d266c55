import { Duration, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteDefinition } from '../../shared/manifest';
import { constructIdFor, ServiceFunction, type GrantTargets } from './service-function';

/** Routes under this prefix serve the local runtime only (test hooks, fake mail inbox). */
export const localOnlyPathPrefix = '/api/local';

export function isLocalOnly(route: Pick<RouteDefinition, 'path'>): boolean {
  return route.path === localOnlyPathPrefix || route.path.startsWith(`${localOnlyPathPrefix}/`);
}

export function routeKey(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

export interface ApiProps {
  routes: readonly RouteDefinition[];
  userPool: cognito.IUserPool;
  userPoolClient: cognito.IUserPoolClient;
  environment: Readonly<Record<string, string>>;
  grantTargets: GrantTargets;
  /** The web app's origin; browsers may call the API from it. No CORS when absent. */
  webOrigin?: string;
  /** Stage-wide limits that protect the table and the account's Lambda concurrency. */
  throttle: apigwv2.ThrottleSettings;
  /** Stricter limits for single routes, by manifest route name (e.g. a public lookup). */
  routeThrottle?: Readonly<Record<string, apigwv2.ThrottleSettings>>;
}

/** The HTTP API: one route and one function per manifest route. */
export class Api extends Construct {
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly functions: ReadonlyMap<string, ServiceFunction>;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    const authorizer = new HttpUserPoolAuthorizer('CognitoAuthorizer', props.userPool, {
      userPoolClients: [props.userPoolClient],
    });
    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      // Secure by default: a route is public only when the manifest says so.
      defaultAuthorizer: authorizer,
      createDefaultStage: false,
      ...(props.webOrigin === undefined
        ? {}
        : {
            corsPreflight: {
              allowOrigins: [props.webOrigin],
              allowMethods: [apigwv2.CorsHttpMethod.ANY],
              allowHeaders: ['authorization', 'content-type'],
              maxAge: Duration.hours(1),
            },
          }),
    });

    const deployedRoutes = props.routes.filter((route) => !isLocalOnly(route));
    const functions = new Map<string, ServiceFunction>();
    const routesByName = new Map<string, apigwv2.HttpRoute>();
    for (const route of deployedRoutes) {
      const id = constructIdFor(route.name);
      const fn = new ServiceFunction(this, `${id}Function`, {
        handlerPath: route.handler,
        description: routeKey(route),
        environment: props.environment,
        timeoutSeconds: route.timeoutSeconds,
        memoryMb: route.memoryMb,
        bundlesCertificateFonts: route.permissions.certificatesBucket === 'readWrite' || route.rendersPdf === true,
      });
      fn.grantManifestPermissions(route.permissions, props.grantTargets);
      functions.set(route.name, fn);

      const isPublic = route.access === 'public';
      const [httpRoute] = this.httpApi.addRoutes({
        path: route.path,
        methods: [apigwv2.HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${id}Integration`, fn),
        ...(isPublic ? { authorizer: new apigwv2.HttpNoneAuthorizer() } : {}),
      });
      if (httpRoute === undefined) throw new Error(`No HTTP route was created for ${route.name}`);
      routesByName.set(route.name, httpRoute);
      if (isPublic) {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${routeKey(route)} is public by design (manifest access: 'public'); the stage throttle bounds anonymous use.`,
        });
      }
    }
    this.functions = functions;

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: apigateway.AccessLogFormat.custom(JSON.stringify(accessLogFields)),
      },
    });
    this.applyRouteThrottle(props.routeThrottle ?? {}, deployedRoutes, routesByName);
  }

  get url(): string {
    return this.stage.url;
  }

  private applyRouteThrottle(
    limits: Readonly<Record<string, apigwv2.ThrottleSettings>>,
    routes: readonly RouteDefinition[],
    routesByName: ReadonlyMap<string, apigwv2.HttpRoute>,
  ): void {
    // CfnStage.routeSettings is untyped JSON, passed through as is: CloudFormation casing.
    const routeSettings: Record<string, CfnRouteThrottle> = {};
    for (const [name, limit] of Object.entries(limits)) {
      const route = routes.find((candidate) => candidate.name === name);
      const httpRoute = routesByName.get(name);
      if (route === undefined || httpRoute === undefined) {
        throw new Error(`routeThrottle names ${name}, which is not a deployed route`);
      }
      routeSettings[routeKey(route)] = {
        ThrottlingRateLimit: limit.rateLimit,
        ThrottlingBurstLimit: limit.burstLimit,
      };
      // CloudFormation rejects settings for a route key the API does not have yet.
      this.stage.node.addDependency(httpRoute);
    }
    if (Object.keys(routeSettings).length === 0) return;
    const cfnStage = this.stage.node.defaultChild as apigwv2.CfnStage;
    cfnStage.routeSettings = routeSettings;
  }
}

interface CfnRouteThrottle {
  ThrottlingRateLimit?: number;
  ThrottlingBurstLimit?: number;
}

/** HTTP API access-log variables (REST API field sets name variables HTTP APIs lack). */
const accessLogFields = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  userSub: '$context.authorizer.claims.sub',
};
