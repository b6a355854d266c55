import { CustomResource, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { tableShape } from '../../shared/store/table';
import { ServiceFunction } from './service-function';

/**
 * The stateful core: the single table (its stream drives every consumer) and the bucket of issued
 * certificates. Both outlive the stack: losing either loses records that people rely on.
 */
export class Data extends Construct {
  readonly table: dynamodb.Table;
  readonly certificatesBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  readonly checkInSecret: secretsmanager.Secret;
  readonly badgeKeySecret: secretsmanager.Secret;
  readonly cursorSecret: secretsmanager.Secret;
  /** Derives the badge key's public JWK at deploy time; no request reaches it. */
  readonly badgePublicKeyFunction: ServiceFunction;
  /** The badge key's public JWK (kty, crv, x), known once the stack deploys. */
  readonly badgePublicJwk: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: tableShape.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: tableShape.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      stream: dynamodb.StreamViewType[tableShape.streamViewType],
      timeToLiveAttribute: tableShape.timeToLiveAttribute,
    });
    for (const index of tableShape.globalIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }

    // Server access logs must land in an SSE-S3 bucket; they are the audit trail of who fetched
    // which certificate.
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server-access-log destination; logging it into itself would loop.',
    });

    this.certificatesBucket = new s3.Bucket(this, 'CertificatesBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'certificates/',
      // A certificates ZIP whose build stopped half way leaves an upload nobody completes.
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    });

    // The HMAC key behind rotating check-in codes: nothing is stored per code, so every function
    // that issues or checks codes must read this one key.
    this.checkInSecret = new secretsmanager.Secret(this, 'CheckInSecret', {
      description: 'HMAC key of session check-in codes',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.checkInSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Codes derived from this key live two minutes; rotating it only voids the codes on screen, so it is rotated by hand when needed rather than by a rotation Lambda.',
    });

    // The Open Badges signing key: CloudFormation generates a random string and the functions
    // derive the Ed25519 key from it (shared/secrets/badge-key.ts), so the private key is never
    // in a template, a build or a repository. An imported key can be stored as a private JWK.
    this.badgeKeySecret = new secretsmanager.Secret(this, 'BadgeKeySecret', {
      description: 'Seed of the Ed25519 key that signs Open Badges credentials and status lists',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.badgeKeySecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the signing key would break the signatures of credentials already handed out (verifiers fetch the one published key); it is rotated deliberately, with a key-id change, not on a schedule.',
    });

    // The public key, derived once per deployment by a function that alone (with the signers)
    // reads the secret: the public issuer-key route gets the JWK as configuration and no right to
    // the secret. Bump the context value badgeKeyVersion after changing the secret by hand, so
    // the next deploy derives it again.
    this.badgePublicKeyFunction = new ServiceFunction(this, 'BadgePublicKey', {
      handlerPath: 'functions/deploy/badge-public-key.ts',
      description: 'Derives the public JWK of the badge signing key at deploy time',
      environment: {},
      timeoutSeconds: 30,
    });
    this.badgeKeySecret.grantRead(this.badgePublicKeyFunction);
    const badgePublicKey = new CustomResource(this, 'BadgePublicJwk', {
      serviceToken: this.badgePublicKeyFunction.functionArn,
      resourceType: 'Custom::BadgePublicJwk',
      properties: {
        SecretArn: this.badgeKeySecret.secretArn,
        KeyVersion: String(this.node.tryGetContext('badgeKeyVersion') ?? '1'),
      },
    });
    this.badgePublicJwk = badgePublicKey.getAttString('PublicJwk');

    // Seals paging cursors (shared/http/cursors.ts), so a client cannot read or craft the
    // DynamoDB key inside one.
    this.cursorSecret = new secretsmanager.Secret(this, 'CursorSecret', {
      description: 'Key that seals paging cursors',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.cursorSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating it only sends clients holding a cursor back to the first page; it is rotated by hand when needed rather than by a rotation Lambda.',
    });
  }
}
