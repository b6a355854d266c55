import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createStatusList, encodeStatusList, isRevoked, setStatus } from '../../shared/certificates/status-list';
import { STATUS_LIST_BITS } from '../../shared/domain/certificate-lifecycle';
import { badgeKeys, badgeKeysFromSecret, forgetBadgeKeys } from '../../shared/secrets/badge-key';
import type * as LifecycleStore from '../../shared/store/certificate-lifecycle';
import type { Certificate } from '../../shared/store/certificates';

process.env.TABLE_NAME = 'unit-table';
const documentMock = mockClient(DynamoDBDocumentClient);
const secretsMock = mockClient(SecretsManagerClient);

// The store reads TABLE_NAME when it loads, so it is imported after the variable is set.
let store: typeof LifecycleStore;

beforeAll(async () => {
  store = await import('../../shared/store/certificate-lifecycle');
});

beforeEach(() => {
  documentMock.reset();
  secretsMock.reset();
});

function cancelled(codes: string[]): TransactionCanceledException {
  return new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });
}

function listWith(...indexes: number[]): string {
  const list = createStatusList(STATUS_LIST_BITS);
  for (const index of indexes) setStatus(list, index, true);
  return encodeStatusList(list);
}

const revocation = { reason: 'Forged', revokedAt: '2026-07-01T08:00:00.000Z', revokedBy: 'sub-1' };
const location = { listId: 'ALA-2026', index: 123 };

function transactions(): TransactWriteCommandInput[] {
  return documentMock.commandCalls(TransactWriteCommand).map((call) => call.args[0].input);
}

describe('revocation and its status bit', () => {
  it('writes the record and the list in one transaction, the list under a version check', async () => {
    documentMock.on(GetCommand).resolves({ Item: { encodedList: listWith(7), version: 4, updatedAt: '2026-06-01T00:00:00.000Z' } });
    documentMock.on(TransactWriteCommand).resolves({});
    expect(await store.revokeWithStatusBit('c1', revocation, location)).toBe('revoked');
    const [input] = transactions();
    const [record, list] = input!.TransactItems!;
    expect(record!.Update).toMatchObject({
      Key: { pk: 'CERT#c1', sk: 'CERT' },
      ConditionExpression: 'attribute_exists(pk) AND #status <> :revoked',
      ExpressionAttributeValues: { ':revoked': 'revoked', ':revocation': revocation },
    });
    expect(list!.Put).toMatchObject({
      Item: { pk: 'STATUSLIST#ALA-2026', sk: 'STATUSLIST', version: 5, updatedAt: revocation.revokedAt },
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': 4 },
    });
    const written = list!.Put!.Item!.encodedList as string;
    // The new bit is set and the earlier revocation kept.
    expect(isRevoked(written, 123)).toBe(true);
    expect(isRevoked(written, 7)).toBe(true);
    expect(isRevoked(written, 124)).toBe(false);
  });

  it('creates the list with the first revocation of a region and year', async () => {
    documentMock.on(GetCommand).resolves({});
    documentMock.on(TransactWriteCommand).resolves({});
    await store.revokeWithStatusBit('c1', revocation, location);
    expect(transactions()[0]!.TransactItems![1]!.Put).toMatchObject({ ConditionExpression: 'attribute_not_exists(pk)', Item: { version: 1 } });
  });

  it('re-reads the list and tries again when another revocation changed it first, so both land', async () => {
    documentMock
      .on(GetCommand)
      .resolvesOnce({ Item: { encodedList: listWith(), version: 1, updatedAt: 'x' } })
      .resolves({ Item: { encodedList: listWith(99), version: 2, updatedAt: 'y' } });
    documentMock.on(TransactWriteCommand).rejectsOnce(cancelled(['None', 'ConditionalCheckFailed'])).resolves({});
    expect(await store.revokeWithStatusBit('c1', revocation, location)).toBe('revoked');
    const [, retry] = transactions();
    expect(retry!.TransactItems![1]!.Put).toMatchObject({ Item: { version: 3 }, ExpressionAttributeValues: { ':expected': 2 } });
    const written = retry!.TransactItems![1]!.Put!.Item!.encodedList as string;
    expect(isRevoked(written, 99) && isRevoked(written, 123)).toBe(true);
  });

  it('reports a certificate that is already revoked, and writes nothing else', async () => {
    documentMock.on(GetCommand).resolves({});
    documentMock.on(TransactWriteCommand).rejects(cancelled(['ConditionalCheckFailed', 'None']));
    expect(await store.revokeWithStatusBit('c1', revocation, location)).toBe('already_revoked');
    expect(transactions()).toHaveLength(1);
  });
});

describe('reissue', () => {
  const certificate = { certificateId: 'c1', status: 'valid', holderName: 'A', issuedAt: '2026-06-01T00:00:00.000Z' } as Certificate;
  const next = { version: 2, holderName: 'B', history: [] };

  it('commits the new version and its work item together, guarded by the version read and not revoked', async () => {
    documentMock.on(TransactWriteCommand).resolves({});
    expect(await store.commitReissue(certificate, next, '2026-07-01T00:00:00.000Z')).toBe('committed');
    const [update, task] = transactions()[0]!.TransactItems!;
    expect(update!.Update).toMatchObject({
      ConditionExpression: 'attribute_exists(pk) AND #status = :valid AND (attribute_not_exists(#version) OR #version = :expected)',
      ExpressionAttributeValues: { ':expected': 1, ':next': 2, ':name': 'B' },
    });
    expect(task!.Put).toMatchObject({
      Item: { pk: 'CERT#c1', sk: 'REISSUE#000002', type: 'CertificateReissue', version: 2, status: 'pending' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('requires the stored version once there is one, and reports a lost race', async () => {
    documentMock.on(TransactWriteCommand).rejects(cancelled(['ConditionalCheckFailed', 'None']));
    expect(await store.commitReissue({ ...certificate, version: 2 }, { ...next, version: 3 }, 'now')).toBe('conflict');
    expect(transactions()[0]!.TransactItems![0]!.Update!.ConditionExpression).toBe('attribute_exists(pk) AND #status = :valid AND #version = :expected');
  });
});

describe('the badge signing key', () => {
  const saved = { file: process.env.BADGE_KEY_FILE, arn: process.env.BADGE_KEY_SECRET_ARN };

  beforeEach(() => {
    forgetBadgeKeys();
    delete process.env.BADGE_KEY_FILE;
    delete process.env.BADGE_KEY_SECRET_ARN;
  });

  afterEach(() => {
    forgetBadgeKeys();
    for (const [name, value] of [['BADGE_KEY_FILE', saved.file], ['BADGE_KEY_SECRET_ARN', saved.arn]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('is derived from the generated secret, the same key in every container', () => {
    const one = badgeKeysFromSecret('s'.repeat(64));
    const two = badgeKeysFromSecret('s'.repeat(64));
    const other = badgeKeysFromSecret('t'.repeat(64));
    expect(one.publicJwk).toEqual(two.publicJwk);
    expect(one.publicJwk.x).not.toBe(other.publicJwk.x);
    expect(one.privateKey.asymmetricKeyType).toBe('ed25519');
    expect(() => badgeKeysFromSecret('short')).toThrow(/shorter than 32/);
  });

  it('may be an imported private JWK', () => {
    const jwk = badgeKeysFromSecret('k'.repeat(64)).privateKey.export({ format: 'jwk' });
    expect(badgeKeysFromSecret(JSON.stringify(jwk)).publicJwk).toEqual(badgeKeysFromSecret('k'.repeat(64)).publicJwk);
    expect(() => badgeKeysFromSecret('{not json')).toThrow(/not/);
  });

  it('comes from Secrets Manager on AWS, read once per container', async () => {
    process.env.BADGE_KEY_SECRET_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:badge';
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: 'z'.repeat(64) });
    const [first, second] = await Promise.all([badgeKeys(), badgeKeys()]);
    expect(second).toBe(first);
    expect(first.publicJwk).toEqual(badgeKeysFromSecret('z'.repeat(64)).publicJwk);
    expect(secretsMock).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(secretsMock).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: process.env.BADGE_KEY_SECRET_ARN });
  });

  it('comes from a key file made once locally, and is refused when configured nowhere', async () => {
    await expect(badgeKeys()).rejects.toThrow(/BADGE_KEY_SECRET_ARN/);
    forgetBadgeKeys();
    process.env.BADGE_KEY_FILE = path.join(mkdtempSync(path.join(tmpdir(), 'badge-')), 'badge-key.json');
    const created = await badgeKeys();
    forgetBadgeKeys();
    expect((await badgeKeys()).publicJwk).toEqual(created.publicJwk);
    expect(JSON.parse(readFileSync(process.env.BADGE_KEY_FILE, 'utf8'))).toHaveProperty('d');
  });
});
