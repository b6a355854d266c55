import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { zipEnd, zipPiece } from '../../shared/exports/stored-zip';

const madeAt = new Date('2026-12-01T10:20:30Z');
const file = (name: string, text: string) => ({ name, data: new TextEncoder().encode(text) });

describe('a ZIP written in pieces', () => {
  it('opens with a zip reader when pieces made separately (as after a restart) are joined', () => {
    const first = zipPiece([file('Aliya_DESTT_2026_ALA_000001.pdf', '%PDF-1 Әлия'), file('Baqyt_DESTT_2026_ALA_000002.pdf', '%PDF-2')], 0, madeAt);
    // The second piece knows only where the first ended and what it held.
    const second = zipPiece([file('manifest.csv', 'number;holder\r\n')], first.end, madeAt);
    const end = zipEnd([...first.entries, ...second.entries], second.end, madeAt);
    expect(first.bytes.length).toBe(first.end);
    const files = unzipSync(new Uint8Array(Buffer.concat([first.bytes, second.bytes, end])));
    expect(Object.keys(files)).toEqual(['Aliya_DESTT_2026_ALA_000001.pdf', 'Baqyt_DESTT_2026_ALA_000002.pdf', 'manifest.csv']);
    expect(strFromU8(files['Aliya_DESTT_2026_ALA_000001.pdf']!)).toBe('%PDF-1 Әлия');
    expect(strFromU8(files['manifest.csv']!)).toBe('number;holder\r\n');
  });

  it('makes the same bytes every time from the same files and time', () => {
    const make = () => zipPiece([file('a.pdf', 'one'), file('b.pdf', 'two')], 100, madeAt).bytes;
    expect(make().equals(make())).toBe(true);
  });

  it('refuses a name that is not printable ASCII', () => {
    expect(() => zipPiece([file('Әлия.pdf', 'x')], 0, madeAt)).toThrow(/ASCII/);
  });
});
