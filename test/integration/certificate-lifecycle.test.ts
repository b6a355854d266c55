import { gunzipSync } from 'node:zlib';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import * as ed from '@noble/ed25519';
import type { AttributeValue as StreamAttributeValue } from 'aws-lambda';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { TABLE_NAME } from '../../local/stack';
import { resetClock as resetLocalClock } from '../../shared/clock';
import { certificateKeys } from '../../shared/store/keys';
import {
  api,
  apiFile,
  apiUrl,
  call,
  drainStreams,
  emailsTo,
  eventually,
  newPerson,
  resetClock,
  tokenFor,
  uniqueAccount,
  type ErrorBody,
} from '../support/api';
import { ISSUE_WAIT_MS, issuedCertificates, type MyCertificates } from '../support/certificates';
import { pdfText } from '../support/pdf';
import { inProcessWorkflow, type StreamHandler, workerContext as context } from '../support/workflow-worker';

type CertificateView = {
  id: string;
  number: string;
  holderName: string;
  status: string;
  version: number;
  history: { version: number; fullName: string; issuedAt: string; reason?: string }[];
  revocation?: { reason: string; revokedAt: string };
};
type Signed<C> = { jwt: string; credential: C };
type BadgeCredential = {
  issuer: { id: string };
  credentialSubject: { identifier: { identityHash: string }[] };
  credentialStatus: { type: string; statusPurpose: string; statusListIndex: string; statusListCredential: string };
};
type StatusListCredential = { id: string; issuer: string; credentialSubject: { encodedList: string; statusPurpose: string } };
type Jwk = { kty: string; crv: string; x: string; kid: string };

const TEST_TIMEOUT_MS = 150_000;
let workflow: StreamHandler;
let dynamodb: DynamoDBClient;
let trainer: string;
let admin: string;
let coordinator: string;
let otherCoordinator: string;

beforeAll(async () => {
  workflow = await inProcessWorkflow();
  dynamodb = new DynamoDBClient({ endpoint: inject('dynamodbEndpoint'), region: 'us-east-1' });
  const stamp = Date.now();
  [trainer, admin, coordinator, otherCoordinator] = await Promise.all([
    tokenFor(uniqueAccount('trainers', 'Ерлан Әбенов')),
    tokenFor(uniqueAccount('admins', 'Админ Қазақбаев')),
    tokenFor({ email: `coordinator-almaty-${stamp}@test.kz`, name: 'Гүлмира Сәрсенова', groups: ['coordinators'], region: 'almaty' }),
    tokenFor({ email: `coordinator-astana-${stamp}@test.kz`, name: 'Бауыржан Нұров', groups: ['coordinators'], region: 'astana' }),
  ]);
});

afterEach(async () => {
  await resetClock();
  resetLocalClock();
});

/** Verifies a compact JWS with @noble/ed25519 against the JWK the API publishes: no code of ours involved. */
async function verifiedPayload<T>(jwt: string, jwk: Jwk): Promise<T> {
  const [header, payload, signature] = jwt.split('.');
  expect(JSON.parse(Buffer.from(header!, 'base64url').toString('utf8'))).toMatchObject({ alg: 'EdDSA', kid: jwk.kid });
  const valid = await ed.verifyAsync(
    Buffer.from(signature!, 'base64url'),
    new TextEncoder().encode(`${header}.${payload}`),
    Buffer.from(jwk.x, 'base64url'),
  );
  expect(valid, 'Ed25519 signature').toBe(true);
  return JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as T;
}

/** Bit `index` of a status list, read the way the W3C spec defines it (left-most bit is 0). */
function bitOf(encodedList: string, index: number): boolean {
  expect(encodedList.startsWith('u')).toBe(true);
  const bits = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
  expect(bits.length * 8).toBeGreaterThanOrEqual(131_072);
  return (bits[index >> 3]! & (0x80 >> (index & 7))) !== 0;
}

/** A training in Almaty closed after everyone attended everything: one certificate each. */
async function issuerKey(): Promise<Jwk> {
  const response = await api<Jwk>('GET', '/api/issuer/key');
  expect(response.status, response.text).toBe(200);
  expect(response.body).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
  expect(response.body).not.toHaveProperty('d');
  return response.body;
}

describe('certificate lifecycle', () => {
  it('signs an Open Badges credential whose status list bit flips when the certificate is revoked', { timeout: TEST_TIMEOUT_MS }, async () => {
    const [holder, neighbour, stranger] = await Promise.all([
      newPerson('Әсел Ғабитқызы Қонаева'),
      newPerson('Ұлан Һарунов'),
      newPerson('Іңкәр Бөтенова'),
    ]);
    const [certificate, other] = await issuedCertificates(trainer, [holder, neighbour]);
    const jwk = await issuerKey();

    // The credential: for the holder, the trainer, the region's coordinators and admins only.
    const response = await api<Signed<BadgeCredential>>('GET', `/api/certificates/${certificate!.id}/credential.json`, { token: holder.token });
    expect(response.status, response.text).toBe(200);
    const signed = await verifiedPayload<BadgeCredential & { iss: string }>(response.body.jwt, jwk);
    expect(signed.credentialSubject.identifier[0]!.identityHash).toBe('Әсел Ғабитқызы Қонаева');
    expect(signed).toMatchObject(response.body.credential);
    const { credentialStatus } = response.body.credential;
    const [, year, , sequence] = certificate!.number.split('-');
    expect(credentialStatus).toMatchObject({
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(Number(sequence)),
      statusListCredential: `${apiUrl()}/api/status-lists/ALA-${year}`,
    });
    const asJwt = await api('GET', `/api/certificates/${certificate!.id}/credential.json`, {
      token: trainer,
      headers: { accept: 'application/vc+jwt' },
    });
    expect(asJwt.status).toBe(200);
    expect(asJwt.headers.get('content-type')).toBe('application/vc+jwt');
    expect(asJwt.text).toBe(response.body.jwt);
    expect((await api('GET', `/api/certificates/${certificate!.id}/credential.json`, { token: coordinator })).status).toBe(200);
    expect((await api('GET', `/api/certificates/${certificate!.id}/credential.json`, { token: admin })).status).toBe(200);
    expect((await api('GET', `/api/certificates/${certificate!.id}/credential.json`, { token: stranger.token })).status).toBe(403);
    expect((await api('GET', `/api/certificates/${certificate!.id}/credential.json`, { token: otherCoordinator })).status).toBe(403);
    expect((await api('GET', `/api/certificates/${certificate!.id}/credential.json`)).status).toBe(401);

    const listPath = new URL(credentialStatus.statusListCredential).pathname;
    const index = Number(credentialStatus.statusListIndex);
    const otherIndex = Number(other!.number.split('-')[3]);
    const before = await api<Signed<StatusListCredential>>('GET', listPath);
    expect(before.status, before.text).toBe(200);
    expect(bitOf(before.body.credential.credentialSubject.encodedList, index)).toBe(false);

    // Only admins and the region's coordinators revoke, and only with a reason.
    const forbidden = await api<ErrorBody>('POST', `/api/certificates/${certificate!.id}/revoke`, { token: otherCoordinator, body: { reason: 'Қате' } });
    expect(forbidden.status).toBe(403);
    expect((await api('POST', `/api/certificates/${certificate!.id}/revoke`, { token: trainer, body: { reason: 'Қате' } })).status).toBe(403);
    const noReason = await api<ErrorBody>('POST', `/api/certificates/${certificate!.id}/revoke`, { token: coordinator, body: { reason: ' ' } });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields?.reason).toBeDefined();
    expect((await api('POST', '/api/certificates/nonexistent/revoke', { token: admin, body: { reason: 'Қате жазба' } })).status).toBe(404);

    // Two revocations in the same list at once: both bits land.
    const [revoked, revokedOther] = await Promise.all([
      api<CertificateView>('POST', `/api/certificates/${certificate!.id}/revoke`, { token: coordinator, body: { reason: 'Құжаттар жалған болып шықты' } }),
      api<CertificateView>('POST', `/api/certificates/${other!.id}/revoke`, { token: admin, body: { reason: 'Duplicate enrolment' } }),
    ]);
    expect(revoked.status, revoked.text).toBe(200);
    expect(revokedOther.status, revokedOther.text).toBe(200);
    expect(revoked.body).toMatchObject({ id: certificate!.id, status: 'revoked', revocation: { reason: 'Құжаттар жалған болып шықты' } });
    expect(revoked.body.revocation).not.toHaveProperty('revokedBy');

    const again = await api<ErrorBody>('POST', `/api/certificates/${certificate!.id}/revoke`, { token: admin, body: { reason: 'Тағы да' } });
    expect(again.status).toBe(409);
    expect(again.body.error.reason).toBe('already_revoked');
    expect(again.body.error.message).toMatch(/already revoked/);

    // The served list, signed, has both bits set; its signature verifies independently.
    const after = await api<Signed<StatusListCredential>>('GET', listPath);
    expect(after.status).toBe(200);
    const list = await verifiedPayload<StatusListCredential>(after.body.jwt, jwk);
    expect(list.id).toBe(credentialStatus.statusListCredential);
    expect(list.issuer).toBe(response.body.credential.issuer.id);
    expect(bitOf(list.credentialSubject.encodedList, index)).toBe(true);
    expect(bitOf(list.credentialSubject.encodedList, otherIndex)).toBe(true);
    expect(bitOf(list.credentialSubject.encodedList, index + 1 === otherIndex ? index + 2 : index + 1)).toBe(false);
    const listJwt = await api('GET', listPath, { headers: { accept: 'application/vc+jwt' } });
    expect(listJwt.headers.get('content-type')).toBe('application/vc+jwt');
    await verifiedPayload(listJwt.text, jwk);

    // Verify, my certificates and the download all say so.
    const verified = await call('verifyCertificate', `/api/verify/${certificate!.verificationCode}`);
    expect(verified.body.status).toBe('revoked');
    expect(verified.body.revocation).toEqual(revoked.body.revocation);
    const mine = await api<MyCertificates>('GET', '/api/me/certificates', { token: holder.token });
    expect(mine.body.items.find((item) => item.id === certificate!.id)?.status).toBe('revoked');
    const download = await api<ErrorBody>('GET', `/api/certificates/${certificate!.id}/pdf`, { token: holder.token });
    expect(download.status).toBe(410);
    expect(download.body.error.reason).toBe('revoked');
    // No freshly signed credential either, in either negotiated form, for the holder or an admin.
    for (const [token, accept] of [[holder.token, 'application/json'], [holder.token, 'application/vc+jwt'], [admin, 'application/json']] as const) {
      const credential = await api<ErrorBody>('GET', `/api/certificates/${certificate!.id}/credential.json`, { token, headers: { accept } });
      expect(credential.status, credential.text).toBe(410);
      expect(credential.headers.get('content-type')).toMatch(/^application\/json/);
      expect(credential.body.error).toMatchObject({ code: 'GONE', reason: 'revoked' });
      expect(credential.body.error.message).toMatch(/revoked/);
      expect(credential.text).not.toMatch(/eyJ[\w-]+\.eyJ/);
    }
    const reissued = await api<ErrorBody>('POST', `/api/certificates/${certificate!.id}/reissue`, { token: admin, body: { fullName: 'Әсел Қонаева' } });
    expect(reissued.status).toBe(409);
    expect(reissued.body.error.reason).toBe('certificate_revoked');

    expect((await api('GET', '/api/status-lists/XXX-2026')).status).toBe(404);
    expect((await api('GET', '/api/status-lists/not-a-list')).status).toBe(400);
  });

  it('zips every current PDF of a training, named safely in ASCII, with a manifest that lists the revoked one', { timeout: TEST_TIMEOUT_MS }, async () => {
    const people = await Promise.all([newPerson('Әлия Ғалымжанқызы'), newPerson('Құдайберген Өңірбек'), newPerson('=HYPERLINK("x") Һадия')]);
    const certificates = await issuedCertificates(trainer, people);
    const trainingId = certificates[0]!.trainingId;
    const revoked = certificates[1]!;
    expect((await api('POST', `/api/certificates/${revoked.id}/revoke`, { token: coordinator, body: { reason: 'Қате жазба' } })).status).toBe(200);

    const response = await apiFile(`/api/trainings/${trainingId}/certificates.zip`, { token: trainer });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const files = unzipSync(response.bytes);
    const names = Object.keys(files).sort();
    const numberOf = (index: number) => certificates[index]!.number;
    expect(names).toEqual(['HYPERLINK_x_Hadiya_' + numberOf(2).replaceAll('-', '_') + '.pdf', 'Aliya_Galymzhanqyzy_' + numberOf(0).replaceAll('-', '_') + '.pdf', 'manifest.csv'].sort());
    for (const name of names.filter((file) => file.endsWith('.pdf'))) expect(strFromU8(files[name]!.slice(0, 5))).toBe('%PDF-');
    const manifest = strFromU8(files['manifest.csv']!);
    const rows = manifest.replace(/^\uFEFF/, '').trim().split('\r\n').map((line) => line.split(';'));
    expect(rows).toHaveLength(4);
    const revokedRow = rows.find((row) => row[0] === revoked.number)!;
    expect(revokedRow.slice(1, 4)).toEqual(['Құдайберген Өңірбек', 'revoked', '']);
    // The holder's name is user text: a cell starting with = never becomes a formula.
    expect(manifest).toContain(`${numberOf(2)};"'=HYPERLINK(""x"") Һадия";`);

    // Its trainer, the region's coordinators and admins; nobody else.
    const status = async (token?: string) => (await fetch(`${apiUrl()}/api/trainings/${trainingId}/certificates.zip`, { headers: token ? { authorization: `Bearer ${token}` } : {} })).status;
    expect(await status(coordinator)).toBe(200);
    expect(await status(admin)).toBe(200);
    expect(await status(otherCoordinator)).toBe(403);
    expect(await status(people[0].token)).toBe(403);
    expect(await status()).toBe(401);
  });

  it('lands every one of many revocations sent at once to the same status list', { timeout: TEST_TIMEOUT_MS }, async () => {
    const names = ['Айбек', 'Әйгерім', 'Ғалия', 'Қайрат', 'Ңәзира', 'Өмірзақ', 'Ұлжан', 'Үміт', 'Һадия', 'Іңкәр', 'Бақыт', 'Дана'];
    const people = await Promise.all(names.map((name) => newPerson(`${name} Тестова`)));
    const certificates = await issuedCertificates(trainer, people);
    const started = Date.now();
    const responses = await Promise.all(
      certificates.map((certificate) =>
        api('POST', `/api/certificates/${certificate.id}/revoke`, { token: coordinator, body: { reason: 'Оқыту өткізілмеген' } }),
      ),
    );
    const elapsedMs = Date.now() - started;
    expect(responses.map((response) => response.status)).toEqual(certificates.map(() => 200));
    const [, year] = certificates[0]!.number.split('-');
    const list = await api<Signed<StatusListCredential>>('GET', `/api/status-lists/ALA-${year}`);
    for (const certificate of certificates) {
      expect(bitOf(list.body.credential.credentialSubject.encodedList, Number(certificate.number.split('-')[3])), certificate.number).toBe(true);
    }
    console.info(`${certificates.length} concurrent revocations in one status list: ${elapsedMs} ms`);
  });

  it('reissues a corrected name as a new version under the same number, mailed once per version', { timeout: TEST_TIMEOUT_MS }, async () => {
    const holder = await newPerson('Айгерім Сәтбаеав');
    const [certificate] = await issuedCertificates(trainer, [holder]);
    const id = certificate!.id;

    expect((await api('POST', `/api/certificates/${id}/reissue`, { token: otherCoordinator, body: { fullName: 'Айгерім Сәтбаева' } })).status).toBe(403);
    const badName = await api<ErrorBody>('POST', `/api/certificates/${id}/reissue`, { token: coordinator, body: { fullName: '   ' } });
    expect(badName.status).toBe(400);
    expect(badName.body.error.fields?.fullName).toBeDefined();

    const response = await api<CertificateView>('POST', `/api/certificates/${id}/reissue`, {
      token: coordinator,
      body: { fullName: 'Айгерім Сәтбаева', reason: 'Тегіндегі қате' },
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ id, number: certificate!.number, holderName: 'Айгерім Сәтбаева', status: 'valid', version: 2 });
    expect(response.body.history).toEqual([
      expect.objectContaining({ version: 1, fullName: 'Айгерім Сәтбаеав' }),
      expect.objectContaining({ version: 2, fullName: 'Айгерім Сәтбаева', reason: 'Тегіндегі қате' }),
    ]);

    // FAULT: the reissue's work item delivered twice more, concurrently, beside the stack's poller.
    const key = certificateKeys.reissue(id, 2);
    const { Item } = await dynamodb.send(new GetItemCommand({ TableName: TABLE_NAME, Key: { pk: { S: key.pk }, sk: { S: key.sk } }, ConsistentRead: true }));
    expect(Item, 'the reissue work item').toBeDefined();
    const image = { ...Item, status: { S: 'pending' } } as unknown as Record<string, StreamAttributeValue>;
    const record = {
      eventID: 'replayed-reissue',
      eventName: 'INSERT' as const,
      eventSource: 'aws:dynamodb',
      eventVersion: '1.1',
      awsRegion: 'us-east-1',
      dynamodb: { Keys: { pk: image.pk!, sk: image.sk! }, NewImage: image, SequenceNumber: '1', StreamViewType: 'NEW_AND_OLD_IMAGES' as const },
    };
    await Promise.all([workflow({ Records: [record, record] }, context), workflow({ Records: [record] }, context)]);

    const email = await eventually(async () => (await emailsTo(holder.email, /қайта берілді/))[0], { timeoutMs: ISSUE_WAIT_MS, what: 'reissue email' });
    const attached = email.attachments.find((attachment) => attachment.contentType?.startsWith('application/pdf'));
    expect(pdfText(Buffer.from(attached!.content, 'base64'))).toContain('Айгерім Сәтбаева');
    expect(pdfText(Buffer.from(attached!.content, 'base64'))).toContain(certificate!.number);

    const pdf = await eventually(
      async () => {
        const download = await api('GET', `/api/certificates/${id}/pdf`, { token: holder.token });
        return download.status === 200 ? download : undefined;
      },
      { timeoutMs: ISSUE_WAIT_MS, what: 'new PDF stored' },
    );
    const downloaded = await fetch(`${apiUrl()}/api/certificates/${id}/pdf`, { headers: { authorization: `Bearer ${holder.token}` } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdfText(Buffer.from(await downloaded.arrayBuffer()))).toContain('Айгерім Сәтбаева');

    const verified = await call('verifyCertificate', `/api/verify/${certificate!.verificationCode}`);
    expect(verified.body).toMatchObject({ holderName: 'Айгерім Сәтбаева', number: certificate!.number, status: 'valid' });

    // A second reissue (no new name) is version 3: one more email, and still one for version 2.
    const third = await api<CertificateView>('POST', `/api/certificates/${id}/reissue`, { token: admin });
    expect(third.status, third.text).toBe(200);
    expect(third.body.version).toBe(3);
    expect(third.body.history).toHaveLength(3);
    await eventually(async () => ((await emailsTo(holder.email, /қайта берілді/)).length >= 2 ? true : undefined), { timeoutMs: ISSUE_WAIT_MS, what: 'second reissue email' });
    await drainStreams();
    const reissueEmails = await emailsTo(holder.email, /қайта берілді/);
    expect(reissueEmails).toHaveLength(2);
    expect(reissueEmails.map((message) => /(\d)-нұсқа/.exec(message.body.text ?? '')?.[1]).sort()).toEqual(['2', '3']);
    expect(await emailsTo(holder.email, /Сертификатыңыз:/)).toHaveLength(1);
  });
});
