import { describe, expect, it } from 'vitest';
import { englishCount } from '../../shared/locale/language';

describe('englishCount', () => {
  it('writes whole numbers as English toLocaleString does, without Intl', () => {
    for (const value of [0, 7, 999, 1000, 2000, 20_000, 123_456, 1_000_000, 9_876_543_210]) {
      expect(englishCount(value)).toBe(value.toLocaleString('en-US'));
    }
  });
});
