/**
 * Open Badges 3.0 credentials: the unsigned OpenBadgeCredential, its VC-JWT (signed with `jose`)
 * checked by two verifiers that share no code with `jose` — @noble/ed25519 (pure JS curve
 * arithmetic) and node:crypto (OpenSSL) — over the JWS signing input, and local key files.
 */
import { createPublicKey, generateKeyPairSync, verify as cryptoVerify } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ed from '@noble/ed25519';
import { SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import {
  badgeKeysFromJwk,
  buildOpenBadgeCredential,
  envelope,
  loadOrCreateBadgeKeys,
  signCredential,
  verifyCredential,
  type BadgeKeys,
  type OpenBadgeInput,
} from '../../shared/certificates/open-badge';
import { buildStatusListCredential, createStatusList, encodeStatusList } from '../../shared/certificates/status-list';

const kazakhName = 'Әлия Ғалымжанқызы Құдайбергенова-Өңірбек Ұлықбек Үсен Һ Іңкәр';
const kazakhTitle = 'Жаңартылған білім беру мазмұны: ғылыми-әдістемелік қолдау (ә ғ қ ң ө ұ ү һ і)';
const verificationMethod = 'https://cert.example.kz/issuer#key-1';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'open-badge-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function input(overrides: Partial<OpenBadgeInput> = {}): OpenBadgeInput {
  return {
    certificateId: 'cert-01J9Z',
    number: 'DESTT-2026-ALA-000123',
    holderName: kazakhName,
    language: 'kk',
    trainingTitle: { kk: kazakhTitle, ru: 'Обновлённое содержание образования', en: 'Updated curriculum content' },
    hours: 72,
    ects: 3,
    issuedAt: '2026-05-14T09:30:00.000Z',
    validUntil: '2029-05-14T09:30:00+05:00',
    issuer: { id: 'https://cert.example.kz/issuer', name: '«Teachers as Leaders» ұлттық орталығы' },
    publicBaseUrl: 'https://cert.example.kz/',
    statusListUrl: 'https://cert.example.kz/api/status/1',
    statusListIndex: 4242,
    ...overrides,
  };
}

function keys(): BadgeKeys {
  const { privateKey } = generateKeyPairSync('ed25519');
  return badgeKeysFromJwk(privateKey.export({ format: 'jwk' }));
}

function parts(jwt: string): { header: Record<string, unknown>; payload: Record<string, unknown>; signingInput: Buffer; signature: Buffer } {
  const [header = '', payload = '', signature = ''] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>,
    signingInput: Buffer.from(`${header}.${payload}`, 'ascii'),
    signature: Buffer.from(signature, 'base64url'),
  };
}

/** Verification with @noble/ed25519 (RFC 8032 strict mode): no `jose`, no OpenSSL curve code. */
async function nobleVerifies(jwt: string, publicKeyX: string): Promise<boolean> {
  const { signingInput, signature } = parts(jwt);
  return ed.verifyAsync(signature, signingInput, Buffer.from(publicKeyX, 'base64url'), { zip215: false });
}

/** Re-encodes a JWT payload with one change, keeping the original header and signature. */
function tamper(jwt: string, change: (payload: Record<string, unknown>) => void): string {
  const [header = '', , signature = ''] = jwt.split('.');
  const { payload } = parts(jwt);
  change(payload);
  return `${header}.${Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url')}.${signature}`;
}

describe('buildOpenBadgeCredential', () => {
  it('builds a VC 2.0 OpenBadgeCredential with a revocation status entry', () => {
    expect(buildOpenBadgeCredential(input())).toEqual({
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
      id: 'https://cert.example.kz/certificates/cert-01J9Z',
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      name: kazakhTitle,
      description: 'Сертификат № DESTT-2026-ALA-000123',
      issuer: { id: 'https://cert.example.kz/issuer', type: 'Profile', name: '«Teachers as Leaders» ұлттық орталығы' },
      validFrom: '2026-05-14T09:30:00Z',
      validUntil: '2029-05-14T04:30:00Z',
      awardedDate: '2026-05-14T09:30:00Z',
      credentialSubject: {
        type: 'AchievementSubject',
        identifier: [{ type: 'IdentityObject', hashed: false, identityHash: kazakhName, identityType: 'name' }],
        achievement: {
          id: 'https://cert.example.kz/certificates/cert-01J9Z#achievement',
          type: 'Achievement',
          achievementType: 'Certificate',
          name: kazakhTitle,
          description: kazakhTitle,
          criteria: { narrative: '72 сағаттық оқыту бағдарламасын толық аяқтады.' },
          creditsAvailable: 3,
          inLanguage: 'kk',
        },
      },
      credentialStatus: {
        id: 'https://cert.example.kz/api/status/1#4242',
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: '4242',
        statusListCredential: 'https://cert.example.kz/api/status/1',
      },
    });
  });

  it("uses the holder's language, else en, ru, kk, and names the language used", () => {
    const ru = buildOpenBadgeCredential(input({ language: 'ru', description: 'Курс для тренеров' }));
    expect(ru.credentialSubject.achievement).toMatchObject({
      name: 'Обновлённое содержание образования',
      description: 'Курс для тренеров',
      inLanguage: 'ru',
      criteria: { narrative: 'Полностью освоил(а) программу обучения объёмом 72 ч.' },
    });
    const fallback = buildOpenBadgeCredential(input({ language: 'kk', trainingTitle: { ru: 'Только по-русски', en: '  ' } }));
    expect(fallback.credentialSubject.achievement.inLanguage).toBe('ru');
    expect(fallback.name).toBe('Только по-русски');
    const en = buildOpenBadgeCredential(input({ language: 'en', ects: undefined, achievementId: 'https://cert.example.kz/trainings/t-1' }));
    expect(en.description).toBe('Certificate No. DESTT-2026-ALA-000123');
    expect(en.credentialSubject.achievement).not.toHaveProperty('creditsAvailable');
    expect(en.credentialSubject.achievement.id).toBe('https://cert.example.kz/trainings/t-1');
  });

  it('refuses incomplete or inconsistent input', () => {
    expect(() => buildOpenBadgeCredential(input({ trainingTitle: {} }))).toThrow(/title/);
    expect(() => buildOpenBadgeCredential(input({ holderName: ' ' }))).toThrow(/holder/);
    expect(() => buildOpenBadgeCredential(input({ hours: 0 }))).toThrow(/hours/);
    expect(() => buildOpenBadgeCredential(input({ ects: -1 }))).toThrow(/ects/);
    expect(() => buildOpenBadgeCredential(input({ statusListIndex: -1 }))).toThrow(/statusListIndex/);
    expect(() => buildOpenBadgeCredential(input({ issuedAt: 'yesterday' }))).toThrow(/issuedAt/);
    expect(() => buildOpenBadgeCredential(input({ validUntil: '2026-05-14T09:30:00Z' }))).toThrow(/validUntil/);
  });
});

describe('signCredential (VC-JWT, EdDSA)', () => {
  const issuerKeys = keys();

  it('produces a JWS that independent Ed25519 implementations verify', async () => {
    const credential = buildOpenBadgeCredential(input());
    const signed = await signCredential(credential, { privateKey: issuerKeys.privateKey, verificationMethod });
    const { header, payload, signingInput, signature } = parts(signed.jwt);

    expect(header).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: verificationMethod });
    expect(await nobleVerifies(signed.jwt, issuerKeys.publicJwk.x ?? '')).toBe(true);
    expect(cryptoVerify(null, signingInput, issuerKeys.publicKey, signature)).toBe(true);

    // The payload is the credential itself plus the OB 3.0 §8.2 registered claims.
    expect(payload).toEqual({
      ...credential,
      iss: 'https://cert.example.kz/issuer',
      jti: 'https://cert.example.kz/certificates/cert-01J9Z',
      nbf: Date.parse('2026-05-14T09:30:00Z') / 1000,
      exp: Date.parse('2029-05-14T04:30:00Z') / 1000,
    });
    expect(signed.credential).toBe(credential);
    expect(signed.enveloped).toEqual({
      '@context': 'https://www.w3.org/ns/credentials/v2',
      id: `data:application/vc+jwt,${signed.jwt}`,
      type: 'EnvelopedVerifiableCredential',
    });
  });

  it('round-trips Kazakh names and titles byte for byte', async () => {
    const credential = buildOpenBadgeCredential(input());
    const signed = await signCredential(credential, { privateKey: issuerKeys.privateKey, verificationMethod });
    const payloadText = Buffer.from(signed.jwt.split('.')[1] ?? '', 'base64url').toString('utf8');
    expect(payloadText).toContain(kazakhName);
    expect(payloadText).toContain(kazakhTitle);

    for (const form of [signed.jwt, signed.enveloped]) {
      const verified = await verifyCredential(form, issuerKeys.publicKey);
      expect(verified.credential).toEqual(credential);
      expect(verified.verificationMethod).toBe(verificationMethod);
    }
  });

  it('a tampered credential fails every verifier', async () => {
    const signed = await signCredential(buildOpenBadgeCredential(input()), { privateKey: issuerKeys.privateKey, verificationMethod });
    const forged = tamper(signed.jwt, (payload) => {
      const subject = payload.credentialSubject as { identifier: { identityHash: string }[] };
      subject.identifier[0]!.identityHash = 'Әлия Ғалымжанқызы Құдайбергенова';
    });
    const { signingInput, signature } = parts(forged);
    expect(await nobleVerifies(forged, issuerKeys.publicJwk.x ?? '')).toBe(false);
    expect(cryptoVerify(null, signingInput, issuerKeys.publicKey, signature)).toBe(false);
    await expect(verifyCredential(forged, issuerKeys.publicKey)).rejects.toThrow(/signature verification failed/);
    await expect(verifyCredential(envelope(forged), issuerKeys.publicKey)).rejects.toThrow(/signature verification failed/);

    // A character well inside the signature: the last one carries padding bits that may not change the bytes.
    const at = signed.jwt.length - 10;
    const flipped = signed.jwt.slice(0, at) + (signed.jwt[at] === 'A' ? 'B' : 'A') + signed.jwt.slice(at + 1);
    await expect(verifyCredential(flipped, issuerKeys.publicKey)).rejects.toThrow();
  });

  it("another key's signature is rejected", async () => {
    const signed = await signCredential(buildOpenBadgeCredential(input()), { privateKey: keys().privateKey, verificationMethod });
    expect(await nobleVerifies(signed.jwt, issuerKeys.publicJwk.x ?? '')).toBe(false);
    await expect(verifyCredential(signed.jwt, issuerKeys.publicKey)).rejects.toThrow(/signature verification failed/);
  });

  it('rejects a validly signed JWT whose claims contradict the credential', async () => {
    const credential = buildOpenBadgeCredential(input());
    const lying = await new SignJWT({ ...credential, iss: 'https://evil.example', jti: credential.id, nbf: 0, exp: 1 })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
      .sign(issuerKeys.privateKey);
    await expect(verifyCredential(lying, issuerKeys.publicKey)).rejects.toThrow(/"iss"/);
    const notACredential = await new SignJWT({ iss: 'https://cert.example.kz/issuer' })
      .setProtectedHeader({ alg: 'EdDSA' })
      .sign(issuerKeys.privateKey);
    await expect(verifyCredential(notACredential, issuerKeys.publicKey)).rejects.toThrow(/verifiable credential/);
    await expect(
      verifyCredential({ '@context': 'https://www.w3.org/ns/credentials/v2', id: 'data:text/plain,x', type: 'EnvelopedVerifiableCredential' }, issuerKeys.publicKey),
    ).rejects.toThrow(/VC-JWT/);
  });

  it('refuses keys that are not Ed25519 and credentials that already carry a proof or JWT claims', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const credential = buildOpenBadgeCredential(input());
    await expect(signCredential(credential, { privateKey: rsa.privateKey, verificationMethod })).rejects.toThrow(/Ed25519/);
    await expect(signCredential(credential, { privateKey: issuerKeys.publicKey, verificationMethod })).rejects.toThrow(/Ed25519 private/);
    await expect(verifyCredential('a.b.c', rsa.publicKey)).rejects.toThrow(/Ed25519 public/);
    await expect(signCredential({ ...credential, proof: {} }, { privateKey: issuerKeys.privateKey, verificationMethod })).rejects.toThrow(/proof/);
    await expect(signCredential({ ...credential, iss: 'x' }, { privateKey: issuerKeys.privateKey, verificationMethod })).rejects.toThrow(/"iss"/);
  });

  it('signs the status list credential the same way (issuer as a string, subject with an id)', async () => {
    const list = buildStatusListCredential({
      id: 'https://cert.example.kz/api/status/1',
      issuer: 'https://cert.example.kz/issuer',
      encodedList: encodeStatusList(createStatusList()),
      validFrom: '2026-05-14T09:30:00Z',
    });
    const signed = await signCredential(list, { privateKey: issuerKeys.privateKey, verificationMethod });
    const { payload } = parts(signed.jwt);
    expect(payload).toMatchObject({ iss: list.issuer, jti: list.id, sub: `${list.id}#list`, nbf: Date.parse(list.validFrom) / 1000 });
    expect(payload).not.toHaveProperty('exp');
    expect(await nobleVerifies(signed.jwt, issuerKeys.publicJwk.x ?? '')).toBe(true);
    expect((await verifyCredential(signed.jwt, issuerKeys.publicKey)).credential).toEqual(list);
  });
});

describe('loadOrCreateBadgeKeys', () => {
  it('creates an Ed25519 private JWK with mode 0600 and loads the same key afterwards', async () => {
    const file = path.join(tmp, 'nested', 'badge-key.jwk.json');
    const created = loadOrCreateBadgeKeys(file);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(stored).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(typeof stored.d).toBe('string');

    const loaded = loadOrCreateBadgeKeys(file);
    expect(loaded.publicJwk).toEqual(created.publicJwk);
    expect(created.publicJwk).not.toHaveProperty('d');
    expect(createPublicKey({ key: created.publicJwk, format: 'jwk' }).equals(loaded.publicKey)).toBe(true);

    const signed = await signCredential(buildOpenBadgeCredential(input()), { privateKey: created.privateKey, verificationMethod });
    expect(await nobleVerifies(signed.jwt, loaded.publicJwk.x ?? '')).toBe(true);
  });

  it.skipIf(process.platform === 'win32')('refuses a key file others can read', () => {
    const file = path.join(tmp, 'open.jwk.json');
    loadOrCreateBadgeKeys(file);
    chmodSync(file, 0o644);
    expect(() => loadOrCreateBadgeKeys(file)).toThrow(/chmod 600/);
  });

  it('refuses a file that is not an Ed25519 private JWK', () => {
    const notJson = path.join(tmp, 'bad.json');
    writeFileSync(notJson, 'nope', { mode: 0o600 });
    expect(() => loadOrCreateBadgeKeys(notJson)).toThrow(/not JSON/);
    const publicOnly = path.join(tmp, 'public.json');
    writeFileSync(publicOnly, JSON.stringify(keys().publicJwk), { mode: 0o600 });
    expect(() => loadOrCreateBadgeKeys(publicOnly)).toThrow(/private JWK/);
  });
});
