import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { TABLE_NAME } from '../../local/stack';
import { certificateKeys } from '../../shared/store/keys';
import {
  accounts,
  api,
  call,
  emailsTo,
  eventually,
  newPerson,
  publishTraining,
  resetClock,
  runSchedule,
  setClock,
  tokenFor,
  trainingBody,
  uniqueAccount,
  type ErrorBody,
  type Person,
} from '../support/api';
import { completeTraining } from '../support/complete-training';

const DAY = 86_400_000;
type MyCertificate = { id: string; trainingId: string; number: string; status: string; validUntil: string };
type Expiring = { region: string; days: number; items: { certificateId: string; number: string; holderName: string; qualifiesForLevel: number; daysLeft: number }[] };
type RunResult = { sent: Record<string, number>; failed: number; renewed: number };

// Subjects of the three languages (shared/mail/renewal-emails.ts).
const RENEWAL_SUBJECT = /Сертификатыңыздың мерзімі|Срок действия вашего сертификата|Your certificate expires/;

let admin: string;
let nationalTrainer: string;
let coordinator: string;
let otherCoordinator: string;
let dynamo: DynamoDBClient;

beforeAll(async () => {
  admin = await tokenFor(accounts.admin);
  coordinator = await tokenFor(accounts.coordinator);
  otherCoordinator = await tokenFor({ email: `coordinator-${Date.now()}@test.kz`, name: 'Әсел Нұрова', groups: ['coordinators'], region: 'astana' });
  nationalTrainer = await tokenFor(uniqueAccount('trainers', 'Гүлнұр Сейітова'));
  dynamo = new DynamoDBClient({ endpoint: inject('dynamodbEndpoint'), region: 'us-east-1' });
  Object.assign(process.env, {
    TABLE_NAME,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamodbEndpoint'),
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
});

afterAll(() => dynamo.destroy());

afterEach(async () => {
  await resetClock();
});

async function clockNow(): Promise<number> {
  return Date.parse((await api<{ now: string }>('GET', '/api/local/clock')).body.now);
}

/** A one-session training starting 10 days after `now`. */
function oneSessionBody(overrides: Record<string, unknown>, now: number) {
  const body = trainingBody(overrides, now, 10);
  return { ...body, sessions: [body.sessions[0]] };
}

async function certificateOf(holder: Person, trainingId: string): Promise<MyCertificate> {
  return eventually(
    async () =>
      (await call('myCertificates', '/api/me/certificates', { token: holder.token })).body.items.find(
        (item) => item.trainingId === trainingId,
      ),
    { timeoutMs: 20_000, what: 'certificate issued' },
  );
}

async function storedCertificate(certificateId: string): Promise<Record<string, unknown>> {
  const key = certificateKeys.item(certificateId);
  const { Item } = await dynamo.send(new GetItemCommand({ TableName: TABLE_NAME, Key: { pk: { S: key.pk }, sk: { S: key.sk } }, ConsistentRead: true }));
  expect(Item).toBeDefined();
  return unmarshall(Item!);
}

async function expiringList(token: string, query = ''): Promise<{ status: number; body: Expiring & ErrorBody }> {
  return api<Expiring & ErrorBody>('GET', `/api/reports/expiring-qualifications${query}`, { token });
}

describe('renewal before a certificate expires', () => {
  it('emails 90 and 30 days before, once each even when the schedule ticks twice; never for a revoked certificate', async () => {
    const holder = await newPerson('Әйгерім Қалиқызы');
    const revokedHolder = await newPerson('Ұлан Жақсылықов');
    const training = await publishTraining(nationalTrainer, oneSessionBody({}, Date.now()));
    await completeTraining(training, nationalTrainer, [{ person: holder, language: 'ru' }, { person: revokedHolder }]);
    const certificate = await certificateOf(holder, training.id);
    const revoked = await certificateOf(revokedHolder, training.id);
    const revocation = await api('POST', `/api/certificates/${revoked.id}/revoke`, { token: admin, body: { reason: 'Құжат қате берілді' } });
    expect(revocation.status, revocation.text).toBe(200);
    const expiresAt = Date.parse(certificate.validUntil);

    // 91 days before: nothing is due yet.
    await setClock(new Date(expiresAt - 91 * DAY));
    await runSchedule('reminders');
    expect(await emailsTo(holder.email, RENEWAL_SUBJECT)).toHaveLength(0);

    // 89 days before, two ticks in a row and two at once.
    await setClock(new Date(expiresAt - 89 * DAY));
    await runSchedule('reminders');
    await Promise.all([runSchedule('reminders'), runSchedule('reminders')]);
    const first = await emailsTo(holder.email, RENEWAL_SUBJECT);
    expect(first).toHaveLength(1);
    // In the holder's language, naming the certificate, the date and what lapses with it.
    expect(first[0]!.subject).toMatch(/^Срок действия вашего сертификата истекает через 88 дн\./);
    expect(first[0]!.subject).toContain(certificate.number);
    expect(first[0]!.body.text).toContain('Здравствуйте, Әйгерім Қалиқызы!');
    expect(first[0]!.body.text).toContain('После');
    expect(first[0]!.body.text).toContain('обучения уровня 1 нельзя будет опубликовать');
    expect(await emailsTo(revokedHolder.email, RENEWAL_SUBJECT)).toHaveLength(0);

    // The coordinator's list names the holder; the revoked certificate is not on it.
    const list = await expiringList(coordinator);
    expect(list.status).toBe(200);
    expect(list.body.region).toBe('almaty');
    const entry = list.body.items.find((item) => item.certificateId === certificate.id);
    expect(entry).toMatchObject({ number: certificate.number, holderName: holder.name, qualifiesForLevel: 1, daysLeft: 88 });
    expect(list.body.items.some((item) => item.certificateId === revoked.id)).toBe(false);

    // 29 days before: the second reminder, once, however many ticks.
    await setClock(new Date(expiresAt - 29 * DAY));
    await Promise.all([runSchedule('reminders'), runSchedule('reminders')]);
    await runSchedule('reminders');
    const both = await emailsTo(holder.email, RENEWAL_SUBJECT);
    expect(both).toHaveLength(2);
    expect(both.map((email) => email.subject).sort()).toEqual([
      `Срок действия вашего сертификата истекает через 28 дн.: ${certificate.number}`,
      `Срок действия вашего сертификата истекает через 88 дн.: ${certificate.number}`,
    ]);
    expect(await emailsTo(revokedHolder.email, RENEWAL_SUBJECT)).toHaveLength(0);

    // After expiry nothing more is sent, and the list no longer names it.
    await setClock(new Date(expiresAt + DAY));
    await runSchedule('reminders');
    expect(await emailsTo(holder.email, RENEWAL_SUBJECT)).toHaveLength(2);
    expect((await expiringList(coordinator)).body.items.some((item) => item.certificateId === certificate.id)).toBe(false);
  });

  it('the list is confined to the coordinator\'s region and validates its input', async () => {
    const denied = await expiringList(otherCoordinator, '?region=almaty');
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toMatch(/own region/);
    const teacher = await newPerson();
    expect((await expiringList(teacher.token, '?region=almaty')).status).toBe(403);
    const bad = await expiringList(admin, '?region=almaty&days=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toHaveProperty('query.days');
    const noRegion = await expiringList(admin);
    expect(noRegion.status).toBe(400);
    expect(noRegion.body.error.fields).toHaveProperty(['query.region']);
    const csv = await api('GET', '/api/reports/expiring-qualifications?format=csv', { token: coordinator });
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('qualifiesForLevel');
  });

  it('a refresher issues a certificate that renews the original: no reminder for the old one, and it qualifies like it', async () => {
    const account = { ...uniqueAccount('trainers', 'Ерлан Әбенов'), groups: ['trainers', 'teachers'] as ('trainers' | 'teachers')[] };
    const multiplier: Person = { email: account.email, name: account.name, token: await tokenFor(account, { nationalTrainer: false }) };
    const original = await publishTraining(nationalTrainer, oneSessionBody({}, Date.now()));
    await completeTraining(original, nationalTrainer, [{ person: multiplier, language: 'kk' }]);
    const first = await certificateOf(multiplier, original.id);
    const expiresAt = Date.parse(first.validUntil);

    // 100 days before expiry the multiplier takes a refresher of the same level.
    await setClock(new Date(expiresAt - 100 * DAY));
    const refresher = await publishTraining(nationalTrainer, oneSessionBody({ renewsLevel: true, title: { kk: 'Біліктілікті жаңарту' } }, await clockNow()));
    expect(refresher.renewsLevel).toBe(true);
    await completeTraining(refresher, nationalTrainer, [{ person: multiplier, language: 'kk' }]);
    const renewed = await certificateOf(multiplier, refresher.id);
    expect(Date.parse(renewed.validUntil)).toBeGreaterThan(expiresAt);
    // The lineage keeps both: the new record names the one it renews, which stays as it was.
    const stored = await storedCertificate(renewed.id);
    expect(stored).toMatchObject({ level: 0, renewsCertificateId: first.id, renewsCertificateNumber: first.number });
    expect(await storedCertificate(first.id)).toMatchObject({ status: 'valid', validUntil: first.validUntil });

    // The old certificate's reminders are not sent, and it is off the coordinator's list.
    await setClock(new Date(expiresAt - 89 * DAY));
    const run = ((await runSchedule('reminders')) as { renewal: RunResult }).renewal;
    expect(run.failed).toBe(0);
    expect(await emailsTo(multiplier.email, RENEWAL_SUBJECT)).toHaveLength(0);
    expect((await expiringList(coordinator)).body.items.some((item) => item.certificateId === first.id)).toBe(false);

    // After the original expired, the refresher's certificate lets them publish the next level.
    await setClock(new Date(expiresAt + DAY));
    const next = await publishTraining(multiplier.token, oneSessionBody({ level: 1, title: { kk: 'Мектептегі көшбасшылық' } }, await clockNow()));
    expect(next.qualifyingCertificateId).toBe(renewed.id);
  });
});

describe('npm run migrate:renewal', () => {
  it('gives a certificate issued before the expiry index its keys, so the job finds it; a second run writes nothing', async () => {
    const holder = await newPerson('Қуаныш Серікұлы');
    const training = await publishTraining(nationalTrainer, oneSessionBody({}, Date.now()));
    await completeTraining(training, nationalTrainer, [{ person: holder }]);
    const certificate = await certificateOf(holder, training.id);
    // As a record written before the index: no expiry keys.
    const key = certificateKeys.item(certificate.id);
    await dynamo.send(
      new UpdateItemCommand({ TableName: TABLE_NAME, Key: { pk: { S: key.pk }, sk: { S: key.sk } }, UpdateExpression: 'REMOVE gsi2pk, gsi2sk' }),
    );
    const expiresAt = Date.parse(certificate.validUntil);
    await setClock(new Date(expiresAt - 60 * DAY));
    await runSchedule('reminders');
    expect(await emailsTo(holder.email, RENEWAL_SUBJECT)).toHaveLength(0);

    const { migrateRenewal } = await import('../../shared/usecases/migrate-renewal');
    const report = await migrateRenewal();
    expect(report.indexed).toBeGreaterThanOrEqual(1);
    expect(await storedCertificate(certificate.id)).toMatchObject({ gsi2pk: certificateKeys.expiring('almaty', certificate.validUntil, certificate.id).gsi2pk });
    expect((await migrateRenewal()).indexed).toBe(0);

    await runSchedule('reminders');
    const sent = await emailsTo(holder.email, RENEWAL_SUBJECT);
    expect(sent).toHaveLength(1);
    // Kazakh, the training's language: the 90-day reminder, current until 30 days before.
    expect(sent[0]!.subject).toBe(`Сертификатыңыздың мерзімі 59 күннен кейін бітеді: ${certificate.number}`);
  });
});
