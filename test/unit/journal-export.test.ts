import { describe, expect, it } from 'vitest';
import { printable, renderJournalPdf } from '../../shared/certificates/journal-pdf';
import { journalMarkdown, promptsIn, trainerMayRead } from '../../shared/domain/journal';
import { pdfText } from '../support/pdf';

const entry = {
  title: 'Өзгеріс ұғымы',
  text: 'Бүгін сабақта ә ғ қ ң ө ұ ү һ і әріптері бар мәтін жаздым.\n# бұл тақырып емес\n- бұл тізім емес',
  createdAt: '2026-03-02T05:00:00.000Z',
  prompt: 'Оқыту сіздің тәжірибеңізге қалай әсер етті?',
  trainingTitle: 'Көшбасшылық',
};

describe('the journal export', () => {
  it('Markdown keeps the author\'s text as text, in the reader\'s language', () => {
    const markdown = journalMarkdown('Әйгерім Қалиқызы', [entry], 'kk');
    expect(markdown).toContain('# Рефлексиялық оқу күнделігі: Әйгерім Қалиқызы');
    expect(markdown).toContain('## Өзгеріс ұғымы');
    expect(markdown).toContain('ә ғ қ ң ө ұ ү һ і');
    // A line the author began with "#" or "-" is not a heading or a list.
    expect(markdown).toContain('\\# бұл тақырып емес');
    expect(markdown).toContain('\\- бұл тізім емес');
    expect(markdown).not.toMatch(/^# бұл/m);
    expect(journalMarkdown('A', [], 'en')).toContain('The journal has no entries yet.');
  });

  it('the PDF carries every Kazakh letter in its embedded font; what the font lacks becomes "?"', async () => {
    const pdf = await renderJournalPdf('Әйгерім Қалиқызы', [{ ...entry, text: `${entry.text} 🙂` }], 'kk');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf);
    for (const letter of 'әғқңөұүһі') expect(text).toContain(letter);
    expect(text).toContain('Өзгеріс ұғымы');
    expect(printable('ә🙂')).toBe('ә?');
  });
});

describe('journal rules', () => {
  it('a trainer reads an entry only about their training and only while it is shared', () => {
    expect(trainerMayRead({ trainingId: 't1' }, 't1', false)).toBe(false);
    expect(trainerMayRead({ trainingId: 't1', sharedAt: 'x' }, 't1', false)).toBe(true);
    expect(trainerMayRead({ trainingId: 't1' }, 't1', true)).toBe(true);
    expect(trainerMayRead({ trainingId: 't1', sharedAt: 'x' }, 't2', true)).toBe(false);
    expect(trainerMayRead({ sharedAt: 'x' }, 't1', true)).toBe(false);
  });

  it('prompts are the six interview questions in the reader\'s language, then the trainer\'s', () => {
    const prompts = promptsIn('ru', [{ kk: 'Тек қазақша' }, { ru: 'По-русски', en: 'In English' }]);
    expect(prompts.filter((prompt) => prompt.source === 'interview').map((prompt) => prompt.id)).toEqual([
      'influence',
      'change',
      'sustain',
      'benefits',
      'challenges',
      'unique',
    ]);
    expect(prompts.slice(6)).toEqual([
      { source: 'trainer', id: 'trainer-1', text: 'Тек қазақша' },
      { source: 'trainer', id: 'trainer-2', text: 'По-русски' },
    ]);
    expect(promptsIn('kk', [])[0]!.text).not.toBe(promptsIn('en', [])[0]!.text);
  });
});
