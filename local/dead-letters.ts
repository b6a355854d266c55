/**
 * The local stand-in for an event source mapping's on-failure destination: records a consumer gave
 * up on are kept as one JSON file each, so a developer can read them, fix the handler and replay.
 * Unlike the SQS destination in AWS (which only carries the shard and sequence range), the files
 * hold the records themselves, because DynamoDB Local's stream is not kept for 24 hours to re-read.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DynamoDBRecord } from 'aws-lambda';

export interface DeadLetter {
  id: string;
  consumer: string;
  streamArn: string;
  shardId: string;
  firstSequenceNumber: string;
  lastSequenceNumber: string;
  /** The records exactly as they were delivered, so a replay sends the same event. */
  records: DynamoDBRecord[];
  errorMessage: string;
  /** Invocations that failed before the records were set aside. */
  attempts: number;
  failedAt: string;
  replayAttempts: number;
  lastReplayAt?: string;
}

export type NewDeadLetter = Omit<DeadLetter, 'id' | 'firstSequenceNumber' | 'lastSequenceNumber' | 'replayAttempts'>;

const safeId = /^[A-Za-z0-9._-]+$/;

export class DeadLetterStore {
  constructor(readonly directory: string) {}

  async add(letter: NewDeadLetter): Promise<DeadLetter> {
    const sequenceNumbers = letter.records.map((record) => record.dynamodb?.SequenceNumber ?? '');
    const firstSequenceNumber = sequenceNumbers[0] ?? '';
    // Sortable by time, and unique even if the same records are set aside twice in one millisecond.
    const stamp = letter.failedAt.replace(/[-:.]/g, '');
    const id = `${stamp}-${fileSafe(letter.consumer)}-${firstSequenceNumber || randomUUID()}`;
    const stored: DeadLetter = {
      id,
      ...letter,
      firstSequenceNumber,
      lastSequenceNumber: sequenceNumbers.at(-1) ?? '',
      replayAttempts: 0,
    };
    await this.save(stored);
    return stored;
  }

  async save(letter: DeadLetter): Promise<void> {
    await writeJsonFileAtomically(this.fileOf(letter.id), letter);
  }

  /** Every dead letter, oldest first; unreadable files are skipped rather than failing the list. */
  async list(): Promise<DeadLetter[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.directory);
    } catch (error) {
      if (isMissingFile(error)) return [];
      throw error;
    }
    const letters = await Promise.all(
      names.filter((name) => name.endsWith('.json')).map((name) => this.get(name.slice(0, -'.json'.length))),
    );
    return letters
      .filter((letter): letter is DeadLetter => letter !== undefined)
      .sort((a, b) => a.failedAt.localeCompare(b.failedAt) || a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<DeadLetter | undefined> {
    if (!safeId.test(id)) return undefined;
    try {
      const parsed: unknown = JSON.parse(await fs.readFile(this.fileOf(id), 'utf8'));
      return isDeadLetter(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  async remove(id: string): Promise<void> {
    if (!safeId.test(id)) return;
    await fs.rm(this.fileOf(id), { force: true });
  }

  private fileOf(id: string): string {
    return path.join(this.directory, `${id}.json`);
  }
}

/** Writes through a temporary file and a rename, so a crash never leaves half a JSON document. */
export async function writeJsonFileAtomically(file: string, value: unknown): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await fs.writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, 'utf8');
  await fs.rename(temporary, file);
}

export function isMissingFile(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

function isDeadLetter(value: unknown): value is DeadLetter {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof DeadLetter, unknown>>;
  return (
    typeof candidate.id === 'string' &&
    typeof candidate.consumer === 'string' &&
    typeof candidate.failedAt === 'string' &&
    Array.isArray(candidate.records)
  );
}
