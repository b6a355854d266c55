/**
 * A ZIP written in pieces: entries stored as they are (PDFs are compressed already), each piece
 * a run of whole entries, and the central directory last. Whatever wrote the earlier pieces, the
 * next one needs only their entries (name, CRC, size, offset) and where they ended, so a build
 * that stops after any piece goes on from it instead of starting again (usecases/certificates-zip).
 *
 * Kept to classic ZIP: no ZIP64, so at most 65,535 entries and 4 GiB, far above one training.
 */
import { crc32 } from 'node:zlib';

export interface ZipEntry {
  name: string;
  crc: number;
  size: number;
  /** Where its local header starts in the whole file. */
  offset: number;
}

export interface ZipPiece {
  bytes: Buffer;
  entries: ZipEntry[];
  /** Where the next piece starts. */
  end: number;
}

const MAX_CLASSIC_BYTES = 0xffff_ffff;
const MAX_CLASSIC_ENTRIES = 0xffff;

/** MS-DOS date and time (local time of the archive's clock: we write UTC, as most tools read it). */
function dosDateTime(at: Date): { time: number; date: number } {
  return {
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2),
    date: ((at.getUTCFullYear() - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
  };
}

function assertAscii(name: string): Buffer {
  // File names come from domain/file-names (ASCII), so no UTF-8 flag or extra field is needed.
  if (!/^[\x20-\x7e]+$/.test(name)) throw new Error(`A ZIP entry name must be printable ASCII: ${JSON.stringify(name)}`);
  return Buffer.from(name, 'latin1');
}

/** Local headers and data of `files`, starting at `start` of the whole archive. */
export function zipPiece(files: readonly { name: string; data: Uint8Array }[], start: number, modifiedAt: Date): ZipPiece {
  const { time, date } = dosDateTime(modifiedAt);
  const chunks: Buffer[] = [];
  const entries: ZipEntry[] = [];
  let offset = start;
  for (const { name, data } of files) {
    const nameBytes = assertAscii(name);
    const crc = crc32(data);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4); // version needed: 2.0
    header.writeUInt16LE(0, 6); // flags
    header.writeUInt16LE(0, 8); // method: stored
    header.writeUInt16LE(time, 10);
    header.writeUInt16LE(date, 12);
    header.writeUInt32LE(crc, 14);
    header.writeUInt32LE(data.byteLength, 18);
    header.writeUInt32LE(data.byteLength, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    header.writeUInt16LE(0, 28);
    chunks.push(header, nameBytes, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    entries.push({ name, crc, size: data.byteLength, offset });
    offset += header.length + nameBytes.length + data.byteLength;
  }
  if (offset > MAX_CLASSIC_BYTES) throw new Error('The ZIP would pass 4 GiB, which classic ZIP cannot address.');
  return { bytes: Buffer.concat(chunks), entries, end: offset };
}

/** The central directory of every entry and the end record: the archive's last piece. */
export function zipEnd(entries: readonly ZipEntry[], start: number, modifiedAt: Date): Buffer {
  if (entries.length > MAX_CLASSIC_ENTRIES) throw new Error('A classic ZIP holds at most 65,535 entries.');
  const { time, date } = dosDateTime(modifiedAt);
  const records = entries.map(({ name, crc, size, offset }) => {
    const nameBytes = assertAscii(name);
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(20, 4); // made by: 2.0
    record.writeUInt16LE(20, 6); // needed: 2.0
    record.writeUInt16LE(0, 8);
    record.writeUInt16LE(0, 10);
    record.writeUInt16LE(time, 12);
    record.writeUInt16LE(date, 14);
    record.writeUInt32LE(crc, 16);
    record.writeUInt32LE(size, 20);
    record.writeUInt32LE(size, 24);
    record.writeUInt16LE(nameBytes.length, 28);
    // extra, comment, disk, internal and external attributes: all zero (bytes 30–41)
    record.writeUInt32LE(offset, 42);
    return Buffer.concat([record, nameBytes]);
  });
  const directory = Buffer.concat(records);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(start, 16);
  return Buffer.concat([directory, end]);
}
