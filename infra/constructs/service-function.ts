import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, Duration, Validations, type CfnElement, type ILocalBundling } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { Permissions } from '../../shared/manifest';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { bundleFunctionSync, entryFile } from './function-bundle';

/** Manifest handler paths are relative to the repository root, whatever the working directory. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** One service name, so logs and metrics of every function group under the platform. */
export const serviceName = 'cascade-training';

/** Manifest names are camelCase; construct ids (and so logical ids) read better in PascalCase. */
export function constructIdFor(manifestName: string): string {
  return manifestName.charAt(0).toUpperCase() + manifestName.slice(1);
}

/** Whatever grants a function a right to send mail; implemented by the mail construct. */
export interface MailSender {
  grantSendEmail(grantee: iam.IGrantable): void;
}

/** The resources a manifest `permissions` entry can refer to. */
export interface GrantTargets {
  table: ITable;
  certificatesBucket: IBucket;
  mail: MailSender;
  checkInSecret: ISecret;
  badgeKeySecret: ISecret;
  cursorSecret: ISecret;
}

export interface ServiceFunctionProps {
  /** The handler module as the manifest names it (relative to the repository root). */
  handlerPath: string;
  description: string;
  environment: Readonly<Record<string, string>>;
  timeoutSeconds?: number;
  memoryMb?: number;
  /**
   * Ship the certificate fonts beside the bundle: shared/certificates/pdf-fonts.ts reads
   * `./fonts/*.ttf` relative to its module, which esbuild puts in a chunk beside `index.mjs`, so
   * the fonts go to `{outputDir}/fonts/`. Given to every function that writes certificates.
   */
  bundlesCertificateFonts?: boolean;
}

/**
 * A role whose grants land in its own inline policy instead of a separate `AWS::IAM::Policy`.
 * The permissions are the same; each function costs one CloudFormation resource fewer, which
 * is what keeps a stack of about seventy functions under the 500-resource limit. A role belongs
 * to exactly one function, so nothing is lost by the policy not being shareable.
 */
class InlinePolicyRole extends iam.Role {
  private readonly inlineGrants: iam.PolicyDocument;

  constructor(scope: Construct, id: string, props: iam.RoleProps) {
    const grants = new iam.PolicyDocument();
    super(scope, id, { ...props, inlinePolicies: { ...props.inlinePolicies, grants } });
    this.inlineGrants = grants;
  }

  override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.inlineGrants.addStatements(statement);
    return { statementAdded: true, policyDependable: this };
  }
}

/**
 * CDK's local bundling hook: builds the function with the shipped options into the asset's
 * output directory. Its fields are part of the asset's cache key (CDK serializes the bundling
 * options), so two functions from the same project root never share an asset.
 */
class FunctionBundler implements ILocalBundling {
  constructor(
    readonly handlerPath: string,
    readonly withFonts: boolean,
  ) {}

  tryBundle(outputDir: string): boolean {
    bundleFunctionSync(repoRoot, this.handlerPath, outputDir, this.withFonts);
    return true;
  }
}

/**
 * Every Lambda of the platform: one place for runtime, architecture, ESM bundling, source maps
 * and log retention, so a route or consumer only says what differs (handler, limits, grants).
 *
 * A plain lambda.Function rather than NodejsFunction: that one passes esbuild `--outfile`, a
 * single file, so a library loaded with `import()` would still be parsed at every cold start.
 */
export class ServiceFunction extends lambda.Function {
  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    // An explicit log group gives retention without the LogRetention custom-resource Lambda.
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_MONTH });
    // Our own role instead of AWSLambdaBasicExecutionRole: that managed policy lets the function
    // write to any log group in the account; this one may write only to its own.
    const role = new InlinePolicyRole(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });

    super(scope, id, {
      code: lambda.Code.fromAsset(repoRoot, {
        // Hash what is shipped, not the whole repository (node_modules included).
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          local: new FunctionBundler(props.handlerPath, props.bundlesCertificateFonts === true),
          // Required by the type; never pulled, since local bundling always succeeds (esbuild is
          // a dependency of this repository). Synth stays offline and needs no Docker.
          image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
        },
      }),
      handler: `${path.basename(entryFile, '.mjs')}.handler`,
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memoryMb ?? 512,
      timeout: Duration.seconds(props.timeoutSeconds ?? 10),
      role,
      logGroup,
      environment: {
        ...props.environment,
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: serviceName,
      },
    });

    logGroup.grantWrite(role);

    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'The platform targets Node.js 22 on purpose: bundling targets node22 and the handlers are tested on it; a runtime upgrade is a deliberate change, not a synth-time default.',
    });
  }

  /** Grants exactly what the manifest entry declares, and nothing else. */
  grantManifestPermissions(permissions: Permissions, targets: GrantTargets): void {
    if (permissions.table === 'read') targets.table.grantReadData(this);
    if (permissions.table === 'readWrite') targets.table.grantReadWriteData(this);

    if (permissions.certificatesBucket !== undefined) targets.certificatesBucket.grantRead(this);
    // Writing a certificate needs PutObject only: grantReadWrite would add s3:DeleteObject*,
    // including DeleteObjectVersion, which could erase issued certificates despite versioning.
    if (permissions.certificatesBucket === 'readWrite') targets.certificatesBucket.grantPut(this);

    if (permissions.sendEmail === true) targets.mail.grantSendEmail(this);
    if (permissions.checkInSecret === true) targets.checkInSecret.grantRead(this);
    if (permissions.badgeKey === true) targets.badgeKeySecret.grantRead(this);
    if (permissions.cursorKey === true) targets.cursorSecret.grantRead(this);

    this.acknowledgeGrantWildcards(permissions, targets);
  }

  /**
   * cdk-nag flags every wildcard; these come from CDK grants scoped to one table and one bucket,
   * so each is acknowledged by its exact finding id (a new, unexpected wildcard still fails).
   */
  private acknowledgeGrantWildcards(permissions: Permissions, targets: GrantTargets): void {
    const role = this.role;
    if (role === undefined) return;
    const stack = this.stack;
    const acknowledge = (finding: string, reason: string): void => {
      Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
    };

    if (permissions.table !== undefined) {
      const tableId = stack.getLogicalId(targets.table.node.defaultChild as CfnElement);
      acknowledge(
        `Resource::<${tableId}.Arn>/index/*`,
        'Table grants include "<table>/index/*" so that Query can use the GSIs of this one table.',
      );
    }
    if (permissions.certificatesBucket !== undefined) {
      const bucket = targets.certificatesBucket.node.defaultChild as CfnElement;
      const bucketId = stack.getLogicalId(bucket);
      acknowledge(
        `Resource::<${bucketId}.Arn>/*`,
        'Certificate object keys are created at run time; the grant covers objects of this one bucket.',
      );
      for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*']) {
        acknowledge(
          `Action::${action}`,
          `${action} is the CDK read grant's action group (object versions, tagging, bucket location), on this one bucket only.`,
        );
      }
    }
    if (permissions.certificatesBucket === 'readWrite') {
      acknowledge(
        'Action::s3:Abort*',
        's3:Abort* lets the SDK abort its own failed multipart upload of a certificate, on this one bucket only.',
      );
    }
  }
}
