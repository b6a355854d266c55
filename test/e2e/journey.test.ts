import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import en from '../../web/i18n/en.json';
import kk from '../../web/i18n/kk.json';
import ru from '../../web/i18n/ru.json';
import { checkPage, connectBrowser, drainStreams, emailsTo, localApi, openTab, resetClock, setClock, type Tab } from './browser';

const catalogues = { kk, ru, en };
type Language = keyof typeof catalogues;

const phone = { width: 390, height: 844 };
const DAY = 86_400_000;

/** The `datetime-local` value an Almaty user types for an instant (UTC+5). */
const almatyInput = (ms: number) => new Date(ms + 5 * 3_600_000).toISOString().slice(0, 16);

let browser: Browser;
beforeAll(async () => {
  browser = await connectBrowser();
});
afterAll(async () => {
  await browser?.close();
  await resetClock();
});

describe.each(['kk', 'ru', 'en'] as const)('the whole journey in %s', (lang: Language) => {
  const text = catalogues[lang];
  const run = `${lang}-${Date.now()}`;
  const title = { kk: `Көшбасшылық өзгеріс ${run}`, ru: `Лидерство и перемены ${run}`, en: `Leadership and change ${run}` }[lang];
  const teacher = { name: 'Әйгерім Қуанышқызы Ұлықбекова', email: `teacher-${run}@e2e.kz` };
  const tabs: Tab[] = [];
  let trainer: Tab;
  let student: Tab;
  let trainingId = '';
  let sessionStart = 0;
  let completedBefore = 0;

  beforeAll(async () => {
    await resetClock();
    trainer = await openTab(browser);
    student = await openTab(browser, phone);
    tabs.push(trainer, student);
    const token = (await localApi<{ token: string }>('POST', '/api/local/token', { email: 'coordinator.almaty@demo.kz', name: 'Нұрлан Қасымов', groups: ['coordinators'], region: 'almaty' })).body.token;
    const report = await localApi<{ totals: { completed: number } }>('GET', '/api/reports/regions/almaty', undefined, token);
    expect(report.status).toBe(200);
    completedBefore = report.body.totals.completed;
  });

  afterAll(async () => {
    for (const tab of tabs) {
      expect(tab.consoleErrors, 'console errors').toEqual([]);
      await tab.context.close();
    }
  });

  it('a trainer creates and publishes a training', async () => {
    const { page } = trainer;
    await page.goto(`/sign-in?lang=${lang}`);
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe(lang);
    expect(await page.locator('[data-lang]').count()).toBe(3);
    await checkPage(page, `${lang}-sign-in`);
    await page.click('button[data-email="trainer.almaty@demo.kz"]');
    await page.waitForURL('**/manage');
    await checkPage(page, `${lang}-manage`);

    await page.getByRole('link', { name: text['manage.new'] }).click();
    await page.waitForURL('**/manage/new');
    sessionStart = Math.floor((Date.now() + 2 * DAY) / DAY) * DAY + 5 * 3_600_000; // 10:00 in Almaty
    await page.fill(`input[name=title${lang[0]!.toUpperCase()}${lang[1]}]`, title);
    await page.selectOption('select[name=topic]', 'teacher-leadership');
    await page.selectOption('select[name=language]', lang);
    await page.selectOption('select[name=region]', 'almaty');
    // The demo regional trainer holds a level-0 certificate, which qualifies them for level 1.
    await page.selectOption('select[name=level]', '1');
    await page.fill('input[name=hours]', '3');
    await page.fill('input[name=capacity]', '10');
    await page.fill('input[name=startsAt-0]', almatyInput(sessionStart));
    await page.fill('input[name=endsAt-0]', almatyInput(sessionStart + 3 * 3_600_000));
    await page.fill('input[name=venue-0]', 'Алматы, №12 мектеп-гимназия');
    await page.fill('input[name=onlineUrl-0]', 'https://meet.example.org/e2e');
    await checkPage(page, `${lang}-training-form`);
    await page.getByRole('button', { name: text['form.save'] }).click();
    await page.waitForURL(/\/manage\/(?!new$)[^/]+$/);
    trainingId = new URL(page.url()).pathname.split('/')[2]!;

    await page.getByRole('button', { name: text['manage.publish'] }).click();
    await expect.poll(() => page.locator('.badge-published').count()).toBe(1);
    await checkPage(page, `${lang}-manage-training`);
  });

  it('a new teacher signs up on a phone, finds the training and registers', async () => {
    const { page } = student;
    await page.goto(`/sign-in?lang=${lang}`);
    await page.fill('input[name=name]', teacher.name);
    await page.fill('input[name=email]', teacher.email);
    await page.selectOption('select[name=region]', 'almaty');
    await page.getByRole('button', { name: text['signIn.signUpButton'] }).click();
    await page.waitForURL('**/my/trainings');

    await page.goto('/trainings');
    await page.selectOption('select[name=region]', 'almaty');
    await page.getByRole('link', { name: title }).click();
    await page.waitForURL(`**/trainings/${trainingId}`);
    await checkPage(page, `${lang}-trainings-detail-before`);
    await expect.poll(() => page.inputValue('input[name=fullName]')).toBe(teacher.name);
    await page.getByRole('button', { name: text['registration.registerButton'] }).click();
    await expect.poll(() => page.locator('.badge-confirmed').textContent()).toBe(text['registration.confirmed']);
    await checkPage(page, `${lang}-training-registered`);

    await page.goto('/trainings');
    await checkPage(page, `${lang}-trainings`);
    await page.getByRole('link', { name: text['nav.myTrainings'] }).click();
    await expect.poll(() => page.getByRole('link', { name: title }).count()).toBe(1);
    expect(await page.locator('a[href="https://meet.example.org/e2e"]').count()).toBe(1);
    await checkPage(page, `${lang}-my-trainings`);
  });

  it('during the session the teacher checks in by code and the trainer marks attendance', async () => {
    await setClock(new Date(sessionStart + 30 * 60_000));
    await trainer.page.goto(`/manage/${trainingId}`);
    await trainer.page.getByRole('link', { name: text['attendance.showQr'].replace('{number}', '1') }).click();
    const codeLocator = trainer.page.locator('[data-testid=check-in-code]');
    await codeLocator.waitFor();
    const code = (await codeLocator.textContent())!.trim();
    expect(code).toMatch(/^[A-Z2-9]{4,}$/);
    await checkPage(trainer.page, `${lang}-check-in-qr`);

    await student.page.getByRole('link', { name: text['nav.checkIn'] }).click();
    await student.page.fill('input[name=code]', code.toLowerCase());
    await student.page.getByRole('button', { name: text['checkIn.submit'] }).click();
    await student.page.locator('[data-testid=check-in-done]').waitFor();
    expect(await student.page.locator('[data-testid=check-in-done]').textContent()).toContain(text['checkIn.done']);
    await checkPage(student.page, `${lang}-check-in`);

    await trainer.page.getByRole('link', { name: text['qr.back'] }).click();
    const row = trainer.page.locator('tr[data-registration]', { hasText: teacher.name });
    await row.waitFor();
    expect(await row.locator('input[value=present]').isChecked()).toBe(true);
    await trainer.page.getByRole('button', { name: text['attendance.save'] }).click();
    await trainer.page.getByText(text['attendance.saved']).waitFor();
    await checkPage(trainer.page, `${lang}-attendance`);
  });

  it('the teacher gives feedback', async () => {
    const { page } = student;
    await page.goto(`/trainings/${trainingId}/feedback`);
    const ratings = page.locator('fieldset[data-rating]');
    await ratings.first().waitFor();
    const ids = await Promise.all((await ratings.all()).map((fieldset) => fieldset.getAttribute('data-rating')));
    expect(ids.length).toBe(5);
    for (const id of ids) {
      await page.check(`input[name=rating-${id}][value="5"]`);
    }
    await page.locator('textarea').first().fill('Өте пайдалы: әріптестермен бірге сабақты зерттеу әдісін қолданамын.');
    await checkPage(page, `${lang}-feedback`);
    await page.getByRole('button', { name: text['feedback.submit'] }).click();
    await page.locator('[data-testid=feedback-sent]').waitFor();
  });

  it('the trainer closes; the certificate email reaches the inbox and its link shows "valid"', async () => {
    await setClock(new Date(sessionStart + 4 * 3_600_000));
    await trainer.page.goto(`/manage/${trainingId}`);
    await trainer.page.getByRole('button', { name: text['manage.close'] }).click();
    await expect.poll(() => trainer.page.locator('.badge-closed').count()).toBe(1);
    await checkPage(trainer.page, `${lang}-closed`);

    let link: string | undefined;
    for (let attempt = 0; attempt < 40 && !link; attempt++) {
      await drainStreams();
      const email = (await emailsTo(teacher.email)).find((candidate) => /\/verify\/\w+/.test(candidate.body.text ?? ''));
      link = email ? /https?:\/\/\S+\/verify\/\w+/.exec(email.body.text!)?.[0] : undefined;
      if (!link) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(link, 'the certificate email with its verification link').toBeDefined();
    expect(new URL(link!).origin).toBe(new URL(student.page.url()).origin);

    await student.page.goto(link!);
    const verdict = student.page.locator('.verdict');
    await verdict.waitFor();
    expect(await verdict.getAttribute('data-status')).toBe('valid');
    expect(await verdict.textContent()).toContain(text['verify.valid']);
    expect(await student.page.textContent('main')).toContain(teacher.name);
    await checkPage(student.page, `${lang}-verify`);

    await student.page.getByRole('link', { name: text['nav.myCertificates'] }).click();
    await student.page.locator('[data-certificate]').first().waitFor();
    await checkPage(student.page, `${lang}-my-certificates`);

    // All certificates at once: the bar while the ZIP is packed in the background, then its link,
    // which leads straight to the bucket (here the S3 emulator) and saves the ZIP.
    await trainer.page.goto(`/manage/${trainingId}`);
    await trainer.page.getByRole('button', { name: text['issuance.zip'] }).click();
    await trainer.page.locator('.zip-download progress').waitFor();
    const zipLink = trainer.page.getByRole('link', { name: text['issuance.zipReady'] });
    await zipLink.waitFor({ timeout: 30_000 });
    await checkPage(trainer.page, `${lang}-certificates-zip`);
    const zip = await fetch((await zipLink.getAttribute('href'))!);
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-disposition')).toMatch(/^attachment; filename="certificates-.+\.zip"$/);
    expect(Buffer.from(await zip.arrayBuffer()).subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('the teacher writes a journal entry and shares it; the trainer comments; unsharing hides it again', async () => {
    const { page } = student;
    const entryTitle = `Сабақты зерттеу ${run}`;
    const comment = 'Керемет байқау! Келесі жолы әріптестеріңізбен талқылаңыз.';
    await page.getByRole('link', { name: text['nav.journal'] }).click();
    await page.waitForURL('**/journal');
    await page.getByText(text['journal.empty']).waitFor();
    await checkPage(page, `${lang}-journal`);
    await page.getByRole('link', { name: text['journal.write'] }).click();
    await page.waitForURL('**/journal/new');
    // The prompts stand beside the editor; choosing one puts it above the text.
    const firstPrompt = page.locator('.prompts button').first();
    await firstPrompt.waitFor();
    await firstPrompt.click();
    await page.locator('[data-testid=journal-prompt]').waitFor();
    await page.fill('input[name=title]', entryTitle);
    await page.selectOption('select[name=trainingId]', trainingId);
    await page.fill('textarea[name=text]', 'Бүгін сабақты зерттеу әдісін қолдандым: ә ғ қ ң ө ұ ү һ і.');
    await checkPage(page, `${lang}-journal-write`);
    await page.getByRole('button', { name: text['journal.save'] }).click();
    await page.waitForURL(/\/journal\/(?!new$)[^/]+$/);
    const visibility = page.locator('[data-testid=journal-visibility]');
    await expect.poll(() => visibility.textContent()).toBe(text['journal.privateNow']);
    await page.getByRole('button', { name: text['journal.share'], exact: true }).click();
    await expect.poll(() => visibility.textContent()).toContain(text['journal.visibleToTrainer'].split('{trainer}')[0]!);

    await trainer.page.goto(`/manage/${trainingId}`);
    await trainer.page.getByRole('link', { name: text['journal.sharedLink'] }).click();
    const card = trainer.page.locator('[data-testid=shared-entry]', { hasText: entryTitle });
    await card.waitFor();
    expect(await card.textContent()).toContain('ә ғ қ ң ө ұ ү һ і');
    await checkPage(trainer.page, `${lang}-trainer-journal`);
    await card.locator('textarea[name=text]').fill(comment);
    await card.getByRole('button', { name: text['journal.sendComment'] }).click();
    await card.locator('[data-testid=journal-comments]', { hasText: comment }).waitFor();

    let notice: string | undefined;
    for (let attempt = 0; attempt < 40 && !notice; attempt++) {
      await drainStreams();
      notice = (await emailsTo(teacher.email)).find((email) => email.subject.includes(entryTitle))?.body.text;
      if (!notice) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(notice, 'the comment email').toContain('/journal/');

    await page.reload();
    await page.locator('[data-testid=journal-comments]', { hasText: comment }).waitFor();
    await page.getByRole('button', { name: text['journal.unshare'], exact: true }).click();
    await expect.poll(() => visibility.textContent()).toBe(text['journal.privateNow']);
    await trainer.page.reload();
    await trainer.page.getByText(text['journal.sharedEmpty']).waitFor();
    expect(await trainer.page.textContent('main')).not.toContain(entryTitle);
  });

  it("the coordinator's dashboard counts the completion", async () => {
    const coordinator = await openTab(browser);
    tabs.push(coordinator);
    const { page } = coordinator;
    await page.goto(`/sign-in?lang=${lang}`);
    await page.click('button[data-email="coordinator.almaty@demo.kz"]');
    await page.waitForURL('**/dashboard');
    const completed = page.locator('[data-metric=completed] dd');
    await expect.poll(async () => {
      await drainStreams();
      await page.reload();
      await completed.waitFor();
      return Number((await completed.textContent())!.replace(/\D/g, ''));
    }, { timeout: 20_000 }).toBe(completedBefore + 1);
    await checkPage(page, `${lang}-dashboard`);
  });
});
