import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { roles, type Role } from '../../shared/auth/roles';
import { ServiceFunction } from './service-function';

/** Lower precedence wins when a user is in several groups; the most privileged group first. */
const groupPrecedence: Record<Role, number> = {
  admins: 0,
  coordinators: 10,
  trainers: 20,
  teachers: 30,
};

const groupDescriptions: Record<Role, string> = {
  admins: 'Run the platform: every region, every training.',
  coordinators: 'Coordinate the trainings of one region (custom:region).',
  trainers: 'Plan and deliver trainings, mark attendance.',
  teachers: 'Register for trainings and receive certificates.',
};

export interface AuthProps {
  /** The web app's origin: where the hosted sign-in returns to. */
  webOrigin?: string;
  /** The hosted sign-in's domain prefix (`<prefix>.auth.<region>.amazoncognito.com`), unique per region. */
  domainPrefix?: string;
}

/**
 * Who may call the API. Teachers sign themselves up; staff groups are assigned by admins. The
 * groups arrive in the token as `cognito:groups`, which the handlers check against the manifest.
 */
export class Auth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly webClient: cognito.UserPoolClient;
  readonly groups: ReadonlyMap<Role, cognito.UserPoolGroup>;
  /** Not a manifest function: Cognito, not the API or a stream, calls it. */
  readonly postConfirmation: ServiceFunction;

  /** Cognito's hosted sign-in, which the web app uses (authorization code with PKCE). */
  readonly domain: cognito.UserPoolDomain | undefined;

  constructor(scope: Construct, id: string, props: AuthProps = {}) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      // A typo in a new address must not lock the person out of the verified one.
      keepOriginal: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
        locale: { required: false, mutable: true },
      },
      customAttributes: {
        region: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge(
      {
        id: 'AwsSolutions-COG2',
        reason:
          'Teachers sign themselves up from school computers and phones; required MFA would block the main audience. TOTP MFA is optional and offered to every user.',
      },
      {
        id: 'AwsSolutions-COG8',
        reason:
          'The Essentials plan is a cost decision for a public-sector programme; the Plus plan (threat protection) can be switched on with featurePlan without replacing the pool.',
      },
    );

    this.groups = new Map(
      roles.map((role) => [
        role,
        new cognito.UserPoolGroup(this, `${role}Group`, {
          userPool: this.userPool,
          groupName: role,
          precedence: groupPrecedence[role],
          description: groupDescriptions[role],
        }),
      ]),
    );

    // Self sign-ups become teachers here; without it their tokens carry no group at all.
    const postConfirmation = (this.postConfirmation = new ServiceFunction(this, 'PostConfirmation', {
      handlerPath: 'functions/cognito/post-confirmation.ts',
      description: 'Adds a confirmed self sign-up to the teachers group.',
      environment: {},
    }));
    this.userPool.addTrigger(cognito.UserPoolOperation.POST_CONFIRMATION, postConfirmation);
    // The pool's ARN cannot be named here: the pool already depends on this function (trigger),
    // and a policy naming the pool would close the loop. Scope it to this account's pools instead.
    postConfirmation.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['cognito-idp:AdminAddUserToGroup'],
        resources: [Stack.of(this).formatArn({ service: 'cognito-idp', resource: 'userpool', resourceName: '*' })],
      }),
    );
    Validations.of(postConfirmation.role!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cognito-idp:<AWS::Region>:<AWS::AccountId>:userpool/*]',
      reason:
        'Naming the pool would make a circular dependency (the pool triggers this function); the only action allowed is adding a user to a group, in pools of this account and region.',
    });

    // custom:region scopes a coordinator's authority (coordinatesRegion in shared/auth), so the
    // web client may read it but never write it: only admins set it, through the admin API.
    const selfWritable = { email: true, fullname: true, locale: true } as const;
    this.webClient = this.userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      // The web app signs in through the hosted UI (code flow with PKCE, no client secret in a
      // page); without a web origin there is nowhere to return to, so no OAuth at all.
      ...(props.webOrigin === undefined
        ? { disableOAuth: true }
        : {
            oAuth: {
              flows: { authorizationCodeGrant: true },
              scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
              callbackUrls: [`${props.webOrigin}/auth/callback`],
              logoutUrls: [`${props.webOrigin}/`],
            },
          }),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ ...selfWritable, emailVerified: true })
        .withCustomAttributes('region'),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes(selfWritable),
    });
    this.domain =
      props.webOrigin === undefined
        ? undefined
        : this.userPool.addDomain('HostedSignIn', {
            cognitoDomain: { domainPrefix: props.domainPrefix ?? `cascade-training-${Stack.of(this).account}` },
            managedLoginVersion: cognito.ManagedLoginVersion.CLASSIC_HOSTED_UI,
          });
  }
}
