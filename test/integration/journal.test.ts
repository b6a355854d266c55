import { beforeAll, describe, expect, it } from 'vitest';
import { formIn } from '../../shared/config/feedback-form';
import type { Training } from '../../shared/schemas/training';
import {
  accounts,
  api,
  call,
  drainStreams,
  emailsTo,
  newPerson,
  publishTraining,
  tokenFor,
  trainingBody,
  uniqueAccount,
  type ErrorBody,
  type Person,
} from '../support/api';
import { pdfText } from '../support/pdf';

type Entry = { entryId: string; title: string; text: string; trainingId?: string; visibleToTrainer: boolean; comments: { text: string; authorName: string }[] };
type JournalSummary = { entriesByMonth: { month: string; entries: number }[]; keepers: number; keepingShare: number | null };
type Shared = { trainingId: string; items: { entryId: string; title: string; text: string; authorName: string; comments: { text: string }[] }[] };

const COMMENT_SUBJECT = /Тренер күнделік жазбаңызға пікір қалдырды|Тренер прокомментировал|Your trainer commented/;

let trainer: string;
let otherTrainer: string;
let admin: string;
let coordinator: string;
let training: Training;
let author: Person;
let classmate: Person;
let stranger: Person;
let countsBefore: JournalSummary;

async function regionJournal(): Promise<{ summary: JournalSummary; text: string }> {
  const report = await api<JournalSummary>('GET', '/api/reports/regions/almaty/journal', { token: coordinator });
  expect(report.status, report.text).toBe(200);
  return { summary: report.body, text: report.text };
}
const entriesIn = (summary: JournalSummary) => summary.entriesByMonth.reduce((sum, month) => sum + month.entries, 0);

async function register(who: Person): Promise<void> {
  const response = await api('POST', `/api/trainings/${training.id}/registrations`, { token: who.token, body: { fullName: who.name } });
  expect(response.status, response.text).toBe(201);
}

async function write(who: Person, body: Record<string, unknown>) {
  return api<Entry & ErrorBody>('POST', '/api/me/journal', { token: who.token, body: { language: 'kk', ...body } });
}

async function sharedView(token = trainer) {
  return api<Shared & ErrorBody>('GET', `/api/trainings/${training.id}/journal`, { token });
}

beforeAll(async () => {
  trainer = await tokenFor(uniqueAccount('trainers', 'Гүлнұр Сейітова'));
  otherTrainer = await tokenFor(uniqueAccount('trainers', 'Бауыржан Өмірзақов'));
  admin = await tokenFor(accounts.admin);
  coordinator = await tokenFor(accounts.coordinator);
  training = await publishTraining(trainer, trainingBody({}, Date.now(), 40));
  author = await newPerson('Әйгерім Қалиқызы');
  classmate = await newPerson('Ұлан Жақсылықов');
  stranger = await newPerson('Құралай Нұрғалиева');
  await register(author);
  await register(classmate);
  countsBefore = (await regionJournal()).summary;
});

describe('the reflective learning journal', () => {
  it('refuses bad input with the field and the limit, and writes nothing', async () => {
    const long = await write(author, { title: 'Ұзын', text: 'ә'.repeat(20_001), trainingId: training.id });
    expect(long.status).toBe(400);
    expect(long.body.error.fields?.text?.join(' ')).toContain('20,000');
    expect(long.body.error.message).toBeTruthy();
    const badSession = await write(author, { title: 'Сабақ', text: 'Мәтін', trainingId: training.id, sessionId: 'nosuchsession' });
    expect(badSession.status).toBe(400);
    expect(badSession.body.error.fields).toHaveProperty('sessionId');
    const sessionOnly = await write(author, { title: 'Сабақ', text: 'Мәтін', sessionId: training.sessions[0]!.id });
    expect(sessionOnly.status).toBe(400);
    const unknownTraining = await write(author, { title: 'Сабақ', text: 'Мәтін', trainingId: 'nosuchtraining' });
    expect(unknownTraining.status).toBe(404);
    const list = await call('listJournal', '/api/me/journal', { token: author.token });
    expect(list.body.items).toHaveLength(0);
    // Exactly at the limit is fine.
    const atLimit = await write(author, { title: 'Шекте', text: 'қ'.repeat(20_000) });
    expect(atLimit.status, atLimit.text).toBe(201);
    expect((await api('DELETE', `/api/me/journal/${atLimit.body.entryId}`, { token: author.token })).status).toBe(204);
  });

  it('is private until shared; the trainer comments, the author is emailed once; unsharing hides it all', async () => {
    const created = await write(author, {
      title: 'Сабақтағы өзгеріс',
      text: 'Бүгін топтық жұмыста әріптестерім белсенді болды: ә ғ қ ң ө ұ ү һ і.',
      trainingId: training.id,
      sessionId: training.sessions[0]!.id,
      prompt: formIn('kk').questions[1]!.text,
    });
    expect(created.status, created.text).toBe(201);
    const entryId = created.body.entryId;

    // Nobody but the author reads it: not a classmate, not the trainer, not an admin or a coordinator.
    expect((await api('GET', `/api/me/journal/${entryId}`, { token: author.token })).status).toBe(200);
    expect((await api('GET', `/api/me/journal/${entryId}`, { token: classmate.token })).status).toBe(404);
    expect((await api('PATCH', `/api/me/journal/${entryId}`, { token: classmate.token, body: { title: 'Менікі' } })).status).toBe(404);
    expect((await api('DELETE', `/api/me/journal/${entryId}`, { token: classmate.token })).status).toBe(404);
    const privateView = await sharedView();
    expect(privateView.status).toBe(200);
    expect(privateView.body.items).toHaveLength(0);
    expect(privateView.text).not.toContain('топтық жұмыста');
    const unshared = await api<ErrorBody>('POST', `/api/trainings/${training.id}/journal/${entryId}/comments`, { token: trainer, body: { text: 'Жарайсыз!' } });
    expect(unshared.status).toBe(404);
    expect(unshared.body.error.message).toMatch(/not shared|no longer/);
    for (const token of [admin, coordinator, otherTrainer]) {
      const denied = await sharedView(token);
      expect(denied.status).toBe(403);
      expect(denied.text).not.toContain('топтық жұмыста');
    }

    // Shared: the trainer reads it and comments.
    const share = await api<Entry>('PUT', `/api/me/journal/${entryId}/share`, { token: author.token, body: { shared: true } });
    expect(share.status, share.text).toBe(200);
    expect(share.body.visibleToTrainer).toBe(true);
    const visible = await sharedView();
    expect(visible.body.items.map((item) => item.entryId)).toEqual([entryId]);
    expect(visible.body.items[0]).toMatchObject({ authorName: author.name, text: created.body.text });
    // Another trainer, an admin or a coordinator still read nothing.
    for (const token of [admin, coordinator, otherTrainer]) expect((await sharedView(token)).status).toBe(403);
    expect(
      (await api('POST', `/api/trainings/${training.id}/journal/${entryId}/comments`, { token: otherTrainer, body: { text: 'Бөгде' } })).status,
    ).toBe(403);

    const comment = await api('POST', `/api/trainings/${training.id}/journal/${entryId}/comments`, {
      token: trainer,
      body: { text: 'Өте жақсы байқау! Келесі сабақта осы тәсілді қолданыңыз.' },
    });
    expect(comment.status, comment.text).toBe(201);
    await drainStreams();
    await drainStreams();
    const emails = await emailsTo(author.email, COMMENT_SUBJECT);
    expect(emails).toHaveLength(1);
    expect(emails[0]!.subject).toBe('Тренер күнделік жазбаңызға пікір қалдырды: Сабақтағы өзгеріс');
    expect(emails[0]!.body.text).toContain(`/journal/${entryId}`);
    // The email names the entry; it carries neither the entry's text nor the comment.
    expect(emails[0]!.body.text).not.toContain('топтық жұмыста');
    expect(emails[0]!.body.text).not.toContain('Өте жақсы байқау');
    const mine = await api<Entry>('GET', `/api/me/journal/${entryId}`, { token: author.token });
    expect(mine.body.comments.map((item) => item.text)).toEqual(['Өте жақсы байқау! Келесі сабақта осы тәсілді қолданыңыз.']);
    expect((await sharedView()).body.items[0]!.comments).toHaveLength(1);

    // Withdrawn: the trainer sees nothing of it, comments included, and cannot comment again.
    const withdraw = await api<Entry>('PUT', `/api/me/journal/${entryId}/share`, { token: author.token, body: { shared: false } });
    expect(withdraw.body.visibleToTrainer).toBe(false);
    const hidden = await sharedView();
    expect(hidden.body.items).toHaveLength(0);
    expect(hidden.text).not.toContain('Өте жақсы байқау');
    expect(
      (await api('POST', `/api/trainings/${training.id}/journal/${entryId}/comments`, { token: trainer, body: { text: 'Тағы' } })).status,
    ).toBe(404);
    // The author keeps the comment.
    expect((await api<Entry>('GET', `/api/me/journal/${entryId}`, { token: author.token })).body.comments).toHaveLength(1);
  });

  it('shares every entry about a training, later ones too, until withdrawn; only with a training the author was in', async () => {
    const first = await write(classmate, { title: 'Бірінші', text: 'Бірінші ой', trainingId: training.id });
    const elsewhere = await write(classmate, { title: 'Жеке', text: 'Оқытуға қатысы жоқ' });
    const all = await api('PUT', `/api/me/journal/trainings/${training.id}/share`, { token: classmate.token, body: { shared: true } });
    expect(all.status, all.text).toBe(200);
    const later = await write(classmate, { title: 'Кейінгі', text: 'Кейінгі ой', trainingId: training.id });
    const titles = (await sharedView()).body.items.filter((item) => item.authorName === classmate.name).map((item) => item.title);
    expect(titles.sort()).toEqual(['Бірінші', 'Кейінгі']);
    expect((await sharedView()).text).not.toContain('Оқытуға қатысы жоқ');
    expect(
      (await api('POST', `/api/trainings/${training.id}/journal/${later.body.entryId}/comments`, { token: trainer, body: { text: 'Рахмет' } })).status,
    ).toBe(201);

    await api('PUT', `/api/me/journal/trainings/${training.id}/share`, { token: classmate.token, body: { shared: false } });
    expect((await sharedView()).body.items.some((item) => item.authorName === classmate.name)).toBe(false);
    expect(
      (await api('POST', `/api/trainings/${training.id}/journal/${first.body.entryId}/comments`, { token: trainer, body: { text: 'Тағы' } })).status,
    ).toBe(404);
    expect(elsewhere.status).toBe(201);

    // Someone who was not in the training cannot share with its trainer.
    const strangers = await write(stranger, { title: 'Бөтен', text: 'Мен қатыспадым', trainingId: training.id });
    expect(strangers.status).toBe(201);
    const refused = await api<ErrorBody>('PUT', `/api/me/journal/${strangers.body.entryId}/share`, { token: stranger.token, body: { shared: true } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/took part/);
    expect((await api('PUT', `/api/me/journal/trainings/${training.id}/share`, { token: stranger.token, body: { shared: true } })).status).toBe(403);
    expect((await sharedView()).text).not.toContain('Мен қатыспадым');
    // An entry about no training has no trainer to share with.
    const noTraining = await api<ErrorBody>('PUT', `/api/me/journal/${elsewhere.body.entryId}/share`, { token: classmate.token, body: { shared: true } });
    expect(noTraining.status).toBe(400);
    expect(noTraining.body.error.fields).toHaveProperty('trainingId');
  });

  it('an entry shared with another training reaches only that training\'s trainer', async () => {
    const other = await publishTraining(otherTrainer, trainingBody({ title: { kk: 'Басқа оқыту' } }, Date.now(), 45));
    const joined = await api('POST', `/api/trainings/${other.id}/registrations`, { token: author.token, body: { fullName: author.name } });
    expect(joined.status, joined.text).toBe(201);
    const entry = await write(author, { title: 'Басқа тренерге', text: 'Тек екінші тренерге арналған ой', trainingId: other.id });
    expect((await api('PUT', `/api/me/journal/${entry.body.entryId}/share`, { token: author.token, body: { shared: true } })).status).toBe(200);
    // The first training's trainer cannot reach it through their own training.
    expect((await sharedView()).text).not.toContain('екінші тренерге');
    const sideways = await api('POST', `/api/trainings/${training.id}/journal/${entry.body.entryId}/comments`, { token: trainer, body: { text: 'Бөгде' } });
    expect(sideways.status).toBe(404);
    // Its own trainer reads it.
    const own = await api<Shared>('GET', `/api/trainings/${other.id}/journal`, { token: otherTrainer });
    expect(own.body.items.map((item) => item.title)).toEqual(['Басқа тренерге']);
    expect((await api('PUT', `/api/me/journal/${entry.body.entryId}/share`, { token: author.token, body: { shared: false } })).status).toBe(200);
  });

  it('edits and deletes by the author only; moving an entry to no training withdraws its share', async () => {
    const entry = await write(author, { title: 'Түзетілетін', text: 'Алғашқы нұсқа', trainingId: training.id });
    await api('PUT', `/api/me/journal/${entry.body.entryId}/share`, { token: author.token, body: { shared: true } });
    const edited = await api<Entry>('PATCH', `/api/me/journal/${entry.body.entryId}`, { token: author.token, body: { text: 'Екінші нұсқа', trainingId: null } });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body).toMatchObject({ text: 'Екінші нұсқа', visibleToTrainer: false });
    expect(edited.body.trainingId).toBeUndefined();
    expect((await sharedView()).text).not.toContain('нұсқа');
    const tooLong = await api<ErrorBody>('PATCH', `/api/me/journal/${entry.body.entryId}`, { token: author.token, body: { text: 'ө'.repeat(20_001) } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.fields?.text?.join(' ')).toContain('20,000');
    expect((await api<Entry>('GET', `/api/me/journal/${entry.body.entryId}`, { token: author.token })).body.text).toBe('Екінші нұсқа');
    expect((await api('DELETE', `/api/me/journal/${entry.body.entryId}`, { token: author.token })).status).toBe(204);
    expect((await api('GET', `/api/me/journal/${entry.body.entryId}`, { token: author.token })).status).toBe(404);
  });

  it('offers the six interview questions in the reader\'s language and the trainer\'s own prompts', async () => {
    expect((await api('PUT', `/api/trainings/${training.id}/journal/prompts`, { token: otherTrainer, body: { prompts: [{ kk: 'Бөгде' }] } })).status).toBe(403);
    const set = await api('PUT', `/api/trainings/${training.id}/journal/prompts`, {
      token: trainer,
      body: { prompts: [{ kk: 'Сыныптағы бір сәтті сипаттаңыз', ru: 'Опишите один момент урока' }] },
    });
    expect(set.status, set.text).toBe(200);
    const ru = await call('journalPrompts', `/api/journal/prompts?trainingId=${training.id}&lang=ru`, { token: author.token });
    expect(ru.body.prompts.filter((prompt) => prompt.source === 'interview').map((prompt) => prompt.text)).toEqual(formIn('ru').questions.map((q) => q.text));
    expect(ru.body.prompts.at(-1)).toMatchObject({ source: 'trainer', text: 'Опишите один момент урока' });
    const kk = await call('journalPrompts', `/api/journal/prompts?trainingId=${training.id}&lang=kk`, { token: author.token });
    expect(kk.body.prompts.at(-1)!.text).toBe('Сыныптағы бір сәтті сипаттаңыз');
    expect((await api('GET', '/api/journal/prompts?lang=xx', { token: author.token })).status).toBe(400);
  });

  it('exports the author\'s own journal as Markdown and as a PDF with Kazakh letters', async () => {
    const markdown = await api('GET', '/api/me/journal-export?format=md&lang=kk', { token: author.token });
    expect(markdown.status).toBe(200);
    expect(markdown.headers.get('content-type')).toContain('text/markdown');
    expect(markdown.text).toContain('## Сабақтағы өзгеріс');
    expect(markdown.text).toContain('ә ғ қ ң ө ұ ү һ і');
    expect(markdown.text).not.toContain('Бірінші ой');
    const pdf = await fetch(`${(await import('../support/api')).apiUrl()}/api/me/journal-export?format=pdf&lang=kk`, {
      headers: { authorization: `Bearer ${author.token}` },
    });
    expect(pdf.status).toBe(200);
    const text = pdfText(Buffer.from(await pdf.arrayBuffer()));
    expect(text).toContain('Сабақтағы өзгеріс');
    for (const letter of 'әғқңөұүһі') expect(text).toContain(letter);
    expect((await api('GET', '/api/me/journal-export?format=docx', { token: author.token })).status).toBe(400);
  });

  it('tells the region\'s coordinator counts only: entries by month and keepers, never a title or a text', async () => {
    const { summary, text } = await regionJournal();
    // Entries about the region's trainings by their participants: one, two, one about the other
    // training, one (the stranger's is not counted).
    expect(entriesIn(summary) - entriesIn(countsBefore)).toBe(5);
    expect(summary.keepers - countsBefore.keepers).toBe(2);
    expect(summary.keepingShare).toBeGreaterThan(0);
    expect(summary.keepingShare).toBeLessThanOrEqual(1);
    for (const fragment of ['топтық жұмыста', 'Сабақтағы өзгеріс', 'Бірінші ой', 'Мен қатыспадым']) expect(text).not.toContain(fragment);
    // Another region's coordinator sees nothing of this region.
    const other = await tokenFor({ email: `coordinator-${Date.now()}@test.kz`, name: 'Әсел Нұрова', groups: ['coordinators'], region: 'astana' });
    expect((await api('GET', '/api/reports/regions/almaty/journal', { token: other })).status).toBe(403);
  });
});
