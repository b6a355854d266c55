import { describe, expect, it } from 'vitest';
import { asciiFileStem, transliterate } from '../../shared/domain/file-names';

describe('file names from people’s names', () => {
  it('transliterates every Kazakh letter and Russian Cyrillic to ASCII', () => {
    expect(transliterate('ә ғ қ ң ө ұ ү һ і')).toBe('a g q ng o u u h i');
    expect(transliterate('Ә Ғ Қ Ң Ө Ұ Ү Һ І')).toBe('A G Q Ng O U U H I');
    expect(transliterate('Щукина Юлия Эдуардовна, Ёлкин Съезд')).toBe('Shchukina Yuliya Eduardovna, Yolkin Sezd');
    expect(transliterate('Zoë Müller')).toBe('Zoe Muller');
  });

  it('keeps a stem of letters, digits and underscores only: no path, no quote, never empty', () => {
    expect(asciiFileStem('Әлия Ғалымжанқызы')).toBe('Aliya_Galymzhanqyzy');
    expect(asciiFileStem('../../etc/passwd')).toBe('etc_passwd');
    expect(asciiFileStem('"; rm -rf *')).toBe('rm_rf');
    expect(asciiFileStem('😀 ☃')).toBe('certificate');
    expect(asciiFileStem('DESTT-2026-ALA-000012')).toBe('DESTT_2026_ALA_000012');
    const long = asciiFileStem('Құдайберген '.repeat(20));
    expect(long.length).toBeLessThanOrEqual(60);
    expect(long).toMatch(/^[A-Za-z0-9_]+$/);
    expect(long.endsWith('_')).toBe(false);
  });
});
