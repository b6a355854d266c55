import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { DockerImage, Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

const repositoryRoot = path.resolve(import.meta.dirname, '..', '..');

export interface WebProps {
  /** The HTTP API that `/api/*` is routed to on the same origin. */
  httpApi: apigwv2.IHttpApi;
  /** What the app's /config.json says: Cognito's hosted sign-in and the base of verification links. */
  config: { auth: { kind: 'cognito'; domain: string; clientId: string; region: string }; publicBaseUrl: string };
  /** Where S3 writes the web bucket's access logs. */
  accessLogsBucket: s3.IBucket;
  /** Hosts the browser may call besides the origin itself (Cognito's token endpoint). */
  connectSources: readonly string[];
}

/**
 * Rewrites page paths to /index.html at the edge, so the app's own routes load; files (a dot in
 * the last segment) pass through. Only the default behaviour runs it, so `/api/*` answers stay
 * the API's own, 404s included (a custom error response would turn those into index.html).
 */
const spaFallback = `function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

/** The web app: a private bucket behind CloudFront (origin access control), `/api/*` to the HTTP API. */
export class Web extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Rebuilt from the repository on every deploy: nothing in it needs keeping.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'web/',
    });

    // CloudFront's standard logs are delivered with ACLs, which the shared access-log bucket disables.
    const distributionLogs = new s3.Bucket(this, 'DistributionLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    Validations.of(distributionLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: "This is the CloudFront log destination; logging it into itself would loop.",
    });

    const connectSrc = ["'self'", ...props.connectSources].join(' ');
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            `connect-src ${connectSrc}`,
            "media-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'none'",
            `form-action 'self' ${props.connectSources.join(' ')}`.trim(),
          ].join('; '),
          override: true,
        },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, preload: false, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      },
      customHeadersBehavior: {
        // The check-in page uses the camera; nothing else may.
        customHeaders: [{ header: 'Permissions-Policy', value: 'camera=(self), microphone=(), geolocation=()', override: true }],
      },
    });

    const apiDomain = Fn.select(2, Fn.split('/', props.httpApi.apiEndpoint));
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Cascade training web app and API',
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: distributionLogs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
        functionAssociations: [
          {
            eventType: cloudfront.FunctionEventType.VIEWER_REQUEST,
            function: new cloudfront.Function(this, 'SpaFallback', {
              code: cloudfront.FunctionCode.fromInline(spaFallback),
              runtime: cloudfront.FunctionRuntime.JS_2_0,
            }),
          },
        ],
      },
      additionalBehaviors: {
        '/api/*': {
          origin: new origins.HttpOrigin(apiDomain, {
            protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
          }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          // Everything but Host: the HTTP API answers only to its own host name.
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
        },
      },
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason: 'Teachers study and travel abroad (and verifiers are anywhere); no country may be blocked.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason: 'The API behind /api/* is throttled per stage and route; a WAF web ACL is a cost decision left to the operator and can be attached without replacing the distribution.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason: "The distribution's own *.cloudfront.net certificate fixes the viewer policy at TLSv1; set minimumProtocolVersion (TLSv1.2_2021) together with the custom domain's certificate when the operator attaches it.",
      },
    );

    new s3deploy.BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      sources: [
        s3deploy.Source.asset(path.join(repositoryRoot, 'web'), {
          // The asset's hash covers the sources, not a local build lying next to them.
          exclude: ['dist'],
          // The web build runs on the synthesizing machine (esbuild, offline); no container needed.
          bundling: {
            // Local bundling always succeeds, so this image is never pulled.
            image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-alpine'),
            local: {
              tryBundle(outputDir) {
                execFileSync(process.execPath, ['--import', 'tsx', path.join(repositoryRoot, 'web', 'build.ts'), outputDir], {
                  cwd: repositoryRoot,
                  stdio: 'inherit',
                });
                return true;
              },
            },
          },
        }),
        s3deploy.Source.jsonData('config.json', props.config),
      ],
      // Hashed assets never change under one name; index.html and config.json do.
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      memoryLimit: 512,
    });
    const stack = Stack.of(this);
    for (const child of stack.node.children) {
      if (child.node.id.startsWith('Custom::CDKBucketDeployment')) {
        Validations.of(child).acknowledge(
          { id: 'AwsSolutions-L1', reason: 'CDK ships the bucket-deployment function with the runtime it is tested on; it runs only during deployments.' },
          {
            id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
            reason: "CDK's bucket-deployment function logs with the basic execution role; it runs only during deployments.",
          },
          ...[
            'Action::s3:GetObject*',
            'Action::s3:GetBucket*',
            'Action::s3:List*',
            'Action::s3:DeleteObject*',
            'Action::s3:Abort*',
            'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
            `Resource::<${stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*`,
            'Resource::*',
          ].map((finding) => ({
            id: `AwsSolutions-IAM5[${finding}]`,
            reason:
              "CDK's bucket-deployment function copies the built app from the CDK asset bucket into the web bucket (object-key wildcards in exactly those two buckets) and invalidates the distribution (CloudFront has no resource-level permission for invalidations).",
          })),
        );
      }
    }
  }
}
