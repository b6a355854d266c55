import { describe, expect, it } from 'vitest';
import { journalCommentEmail } from '../../shared/mail/journal-emails';
import { renewalReminderEmail } from '../../shared/mail/renewal-emails';
import type { ExpiringCertificate } from '../../shared/store/renewal';

const certificate = (language: 'kk' | 'ru' | 'en'): ExpiringCertificate => ({
  certificateId: 'c1',
  trainingId: 't1',
  number: 'DESTT-2026-ALA-000042',
  holderEmail: 'aigerim@example.kz',
  holderName: 'Әйгерім Қалиқызы',
  language,
  trainingTitle: { kk: 'Көшбасшылық және өзгеріс', en: 'Leadership and change' },
  region: 'almaty',
  level: 0,
  status: 'valid',
  issuedAt: '2026-06-15T05:00:00.000Z',
  validUntil: '2031-06-15T05:00:00.000Z',
});

describe('the renewal reminder', () => {
  it('is in the holder\'s language, names the certificate and the date, and warns a multiplier', () => {
    const kk = renewalReminderEmail(certificate('kk'), 90, 1);
    expect(kk.to).toBe('aigerim@example.kz');
    expect(kk.subject).toBe('Сертификатыңыздың мерзімі 90 күннен кейін бітеді: DESTT-2026-ALA-000042');
    expect(kk.text).toContain('Құрметті Әйгерім Қалиқызы!');
    expect(kk.text).toContain('«Көшбасшылық және өзгеріс»');
    expect(kk.text).toContain('1-деңгейдегі оқытуларыңызды жариялау мүмкін болмайды');
    expect(kk.text).toContain('2031');
    const ru = renewalReminderEmail(certificate('ru'), 30, 1);
    expect(ru.subject).toContain('через 30 дн.');
    // No Russian title: the fallback order gives the English one rather than nothing.
    expect(ru.text).toContain('«Leadership and change»');
    expect(ru.text).toContain('обучения уровня 1 нельзя будет опубликовать');
    const en = renewalReminderEmail(certificate('en'), 30, 1);
    expect(en.text).toContain('level-1 trainings can no longer be published');
  });

  it('says nothing about publishing when the certificate qualifies for no next level', () => {
    const email = renewalReminderEmail({ ...certificate('en'), level: 2 }, 30, undefined);
    expect(email.text).not.toMatch(/publish/);
    expect(email.text).toContain('refresher');
  });
});

describe('the journal comment notice', () => {
  it('names the entry and links to it, and quotes neither the entry nor the comment', () => {
    const entry = {
      entryId: 'e1',
      authorSub: 's',
      authorEmail: 'aigerim@example.kz',
      authorName: 'Әйгерім',
      title: 'Өзгеріс',
      text: 'Құпия ой',
      language: 'ru' as const,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      version: 1,
    };
    const comment = { commentId: 'c', entryId: 'e1', trainingId: 't', authorSub: 'tr', authorName: 'Гүлнұр', text: 'Жасырын пікір', createdAt: '2026-01-02T00:00:00.000Z' };
    const email = journalCommentEmail(entry, comment);
    expect(email.to).toBe('aigerim@example.kz');
    expect(email.subject).toBe('Тренер прокомментировал запись в вашем дневнике: Өзгеріс');
    expect(email.text).toContain('/journal/e1');
    expect(email.text).toContain('Гүлнұр');
    expect(email.text).not.toContain('Құпия ой');
    expect(email.text).not.toContain('Жасырын пікір');
  });
});
