import type { PublicTraining as Training } from '../../shared/domain/training';
import { almatyLocalToIso, isoToAlmatyLocal } from './format';

/** The training form's state: text as typed, times as Almaty wall-clock `datetime-local` values. */
export interface SessionDraft {
  id?: string;
  startsAt: string;
  endsAt: string;
  venue: string;
  onlineUrl: string;
}

export interface TrainingDraft {
  titleKk: string;
  titleRu: string;
  titleEn: string;
  description: string;
  topic: string;
  language: string;
  region: string;
  level: string;
  /** A refresher of its level: its certificates renew the level (API `renewsLevel`). */
  renewsLevel: boolean;
  hours: string;
  ects: string;
  capacity: string;
  sessions: SessionDraft[];
}

export const emptySession = (): SessionDraft => ({ startsAt: '', endsAt: '', venue: '', onlineUrl: '' });

export function draftOf(training: Training | undefined, defaultRegion: string): TrainingDraft {
  if (!training) {
    return { titleKk: '', titleRu: '', titleEn: '', description: '', topic: '', language: 'kk', region: defaultRegion, level: '2', renewsLevel: false, hours: '', ects: '', capacity: '', sessions: [emptySession()] };
  }
  return {
    titleKk: training.title.kk ?? '',
    titleRu: training.title.ru ?? '',
    titleEn: training.title.en ?? '',
    description: training.description ?? '',
    topic: training.topic,
    language: training.language,
    region: training.region,
    level: String(training.level),
    renewsLevel: training.renewsLevel === true,
    hours: String(training.hours),
    ects: training.ects === undefined ? '' : String(training.ects),
    capacity: String(training.capacity),
    sessions: training.sessions.map((session) => ({
      id: session.id,
      startsAt: isoToAlmatyLocal(session.startsAt),
      endsAt: isoToAlmatyLocal(session.endsAt),
      venue: session.venue ?? '',
      onlineUrl: session.onlineUrl ?? '',
    })),
  };
}

/** The form's text fields as the API's body: numbers as numbers, Almaty wall-clock times as instants. */
export function trainingBody(draft: TrainingDraft, editing: boolean): Record<string, unknown> {
  const title: Record<string, string> = {};
  if (draft.titleKk.trim()) title.kk = draft.titleKk.trim();
  if (draft.titleRu.trim()) title.ru = draft.titleRu.trim();
  if (draft.titleEn.trim()) title.en = draft.titleEn.trim();
  const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
  const cleared = editing ? null : undefined;
  return {
    title,
    description: draft.description.trim() || cleared,
    topic: draft.topic || undefined,
    language: draft.language,
    region: draft.region,
    level: Number(draft.level),
    // Sent when ticked (or to clear it on an edit), so an ordinary new training's body stays as it was.
    renewsLevel: draft.renewsLevel ? true : editing ? false : undefined,
    hours: number(draft.hours),
    ects: draft.ects.trim() === '' ? cleared : number(draft.ects),
    capacity: number(draft.capacity),
    sessions: draft.sessions.map((session) => ({
      ...(session.id ? { id: session.id } : {}),
      startsAt: session.startsAt ? almatyLocalToIso(session.startsAt) : '',
      endsAt: session.endsAt ? almatyLocalToIso(session.endsAt) : '',
      ...(session.venue.trim() ? { venue: session.venue.trim() } : {}),
      ...(session.onlineUrl.trim() ? { onlineUrl: session.onlineUrl.trim() } : {}),
    })),
  };
}

/** Sessions from the schedule generator (web/src/schedule.ts) as the form's editable list. */
export function draftSessionsOf(
  generated: readonly { startsAt: string; endsAt: string }[],
  place: { venue: string; onlineUrl: string },
): SessionDraft[] {
  return generated.map((session) => ({
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    venue: place.venue.trim(),
    onlineUrl: place.onlineUrl.trim(),
  }));
}
