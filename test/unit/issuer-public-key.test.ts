import { sign, verify, createPublicKey } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../functions/deploy/badge-public-key';
import { badgeKeysFromSecret } from '../../shared/secrets/badge-key';
import { issuerPublicJwk } from '../../shared/secrets/issuer-public-key';

const secretsMock = mockClient(SecretsManagerClient);
const seed = 'A'.repeat(20) + 'deploy-time-generated-random-string-0123456789';
const secretArn = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:BadgeKeySecret-abc';

function cfnEvent(type: 'Create' | 'Update' | 'Delete'): CloudFormationCustomResourceEvent {
  return {
    RequestType: type,
    ServiceToken: 'arn:aws:lambda:eu-central-1:123456789012:function:BadgePublicKey',
    ResponseURL: 'https://cloudformation-custom-resource-response.s3.amazonaws.com/signed',
    StackId: 'arn:aws:cloudformation:eu-central-1:123456789012:stack/cascade/1',
    RequestId: 'req-1',
    LogicalResourceId: 'BadgePublicJwk',
    ResourceType: 'Custom::BadgePublicJwk',
    ResourceProperties: { ServiceToken: 'x', SecretArn: secretArn },
    ...(type === 'Create' ? {} : { PhysicalResourceId: 'badge-public-key-BadgePublicJwk' }),
    ...(type === 'Update' ? { OldResourceProperties: { ServiceToken: 'x', SecretArn: secretArn } } : {}),
  } as CloudFormationCustomResourceEvent;
}

type Answer = { Status: string; Reason?: string; PhysicalResourceId: string; Data?: { PublicJwk: string }; RequestId: string };
let answers: { url: string; init: RequestInit & { body: string } }[];

beforeEach(() => {
  secretsMock.reset();
  answers = [];
  vi.stubGlobal('fetch', (url: string, init: RequestInit & { body: string }) => {
    answers.push({ url, init });
    return Promise.resolve(new Response(null, { status: 200 }));
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
  delete process.env.ISSUER_PUBLIC_JWK;
});

const lastAnswer = () => JSON.parse(answers.at(-1)!.init.body) as Answer;

describe('the deploy-time public key', () => {
  it('is the public half of the key the signers derive from the same secret, and nothing else', async () => {
    secretsMock.on(GetSecretValueCommand, { SecretId: secretArn }).resolves({ SecretString: seed });
    await handler(cfnEvent('Create'));
    expect(answers).toHaveLength(1);
    expect(answers[0]!.url).toBe(cfnEvent('Create').ResponseURL);
    expect(answers[0]!.init.method).toBe('PUT');
    const answer = lastAnswer();
    expect(answer).toMatchObject({ Status: 'SUCCESS', RequestId: 'req-1', PhysicalResourceId: 'badge-public-key-BadgePublicJwk' });
    const published = JSON.parse(answer.Data!.PublicJwk) as Record<string, string>;
    expect(Object.keys(published).sort()).toEqual(['crv', 'kty', 'x']);

    // A signature by the signers' private key verifies with the published key.
    const { privateKey } = badgeKeysFromSecret(seed);
    const message = Buffer.from('credential');
    const signature = sign(null, message, privateKey);
    expect(verify(null, message, createPublicKey({ key: published, format: 'jwk' }), signature)).toBe(true);

    // And the route accepts what the custom resource produced.
    process.env.ISSUER_PUBLIC_JWK = answer.Data!.PublicJwk;
    expect(issuerPublicJwk()).toEqual(published);
  });

  it('keeps its physical id on update, and reads nothing on delete', async () => {
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: seed });
    await handler(cfnEvent('Update'));
    expect(lastAnswer()).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'badge-public-key-BadgePublicJwk' });
    secretsMock.reset();
    await handler(cfnEvent('Delete'));
    expect(lastAnswer()).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'badge-public-key-BadgePublicJwk' });
    expect(lastAnswer().Data).toBeUndefined();
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it('fails the deployment, rather than publishing nothing, when the secret cannot be read or is too short', async () => {
    secretsMock.on(GetSecretValueCommand).rejects(new Error('AccessDenied'));
    await handler(cfnEvent('Create'));
    expect(lastAnswer()).toMatchObject({ Status: 'FAILED', Reason: 'AccessDenied' });
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: 'tiny-s3cret' });
    await handler(cfnEvent('Create'));
    expect(lastAnswer().Status).toBe('FAILED');
    expect(lastAnswer().Reason).toMatch(/shorter/);
    expect(lastAnswer().Reason).not.toContain('tiny-s3cret');
  });
});

describe('the route’s configuration', () => {
  it('refuses a private JWK, a malformed one, or none', () => {
    const { privateKey } = badgeKeysFromSecret(seed);
    process.env.ISSUER_PUBLIC_JWK = JSON.stringify(privateKey.export({ format: 'jwk' }));
    expect(() => issuerPublicJwk()).toThrow(/private/);
    process.env.ISSUER_PUBLIC_JWK = JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'a' });
    expect(() => issuerPublicJwk()).toThrow();
    process.env.ISSUER_PUBLIC_JWK = '{';
    expect(() => issuerPublicJwk()).toThrow(/not JSON/);
    delete process.env.ISSUER_PUBLIC_JWK;
    expect(() => issuerPublicJwk()).toThrow(/ISSUER_PUBLIC_JWK/);
  });
});
