import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { PublicTraining as Training } from '../../shared/domain/training';
import { post } from './api';
import { formatDateTime, formatTime } from './format';
import { language, t, type MessageKey } from './i18n';
import { ErrorBox } from './ui';
import type { ResponseBody } from '../../shared/api/client';

/** What POST …/attendance/teams-report answers, as shared/api declares it. */
export type TeamsPreview = ResponseBody<'importTeamsReport'>;

/** One row of a report, however it was matched. */
type ReportRow = Omit<TeamsPreview['unmatched'][number], 'reason' | 'candidates'>;

interface UploadedFile {
  name: string;
  content: string;
}

/** The file's bytes as they are: the server decodes UTF-16 or UTF-8 itself. */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000) binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  return btoa(binary);
}

/** Every row of the report with who it counts for now, so any of them can be corrected. */
export function reportRows(preview: TeamsPreview): { row: ReportRow; registrationId: string; how: string }[] {
  return [
    ...preview.marks.flatMap((mark) =>
      mark.matchedFrom.map((row) => ({ row, registrationId: mark.registrationId, how: t(`teams.by.${row.by}` as MessageKey) })),
    ),
    ...preview.unmatched.map((row) => ({ row, registrationId: '', how: t(`teams.unmatched.${row.reason}` as MessageKey) })),
    ...preview.ignored.map((row) => ({ row, registrationId: '', how: t(`teams.ignored.${row.reason}` as MessageKey) })),
  ].sort((a, b) => a.row.file - b.row.file || a.row.line - b.row.line);
}

/**
 * "Import Teams report" on a session's attendance grid: the trainer picks the file(s) Teams
 * produced, sees the proposed marks and the rows that matched nobody, corrects matches, then applies.
 */
export function TeamsImport({ training, sessionId, onApplied }: { training: Training; sessionId: string; onApplied: () => void }) {
  const [open, setOpen] = useState(false);
  const [files, setFiles] = useState<UploadedFile[]>([]);
  const [matches, setMatches] = useState<Record<string, string | null>>({});
  const [keep, setKeep] = useState<string[]>([]);
  const [preview, setPreview] = useState<TeamsPreview>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const path = `/api/trainings/${training.id}/sessions/${sessionId}/attendance/teams-report` as const;

  const run = async (mode: 'preview' | 'apply', nextMatches = matches, nextKeep = keep, nextFiles = files) => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await post('importTeamsReport', path, { files: nextFiles, mode, matches: nextMatches, leaveUnchanged: nextKeep });
      setPreview(result);
      if (mode === 'apply') onApplied();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    return html`<p><button type="button" class="secondary" onClick=${() => setOpen(true)}>${t('teams.open')}</button></p>`;
  }
  const people = preview?.marks ?? [];
  const nameOf = new Map(people.map((mark) => [mark.registrationId, mark.fullName]));
  return html`<section class="teams-import" aria-labelledby="teams-heading">
    <h3 id="teams-heading">${t('teams.title')}</h3>
    <p class="muted">${t('teams.help')}</p>
    <form onSubmit=${(event: Event) => {
      event.preventDefault();
      void run('preview');
    }}>
      <label for="teams-files">${t('teams.files')}</label>
      <input id="teams-files" type="file" multiple accept=".csv,.txt,text/csv,text/plain"
        onChange=${async (event: Event) => {
          const list = [...((event.currentTarget as HTMLInputElement).files ?? [])];
          const uploaded = await Promise.all(list.map(async (file) => ({ name: file.name, content: await base64Of(file) })));
          setFiles(uploaded);
          setMatches({});
          setKeep([]);
          setPreview(undefined);
        }} />
      <p class="actions">
        <button type="submit" disabled=${files.length === 0 || busy}>${t('teams.preview')}</button>
        <button type="button" class="secondary" onClick=${() => setOpen(false)}>${t('teams.close')}</button>
      </p>
    </form>
    <${ErrorBox} error=${error} />
    ${preview
      ? html`<div>
          <p>${t('teams.session', {
            from: formatDateTime(preview.session.startsAt, language()),
            to: formatTime(preview.session.endsAt, language()),
            minutes: preview.session.minutes,
            threshold: preview.session.thresholdMinutes,
          })}</p>
          <ul>${preview.meetings.map((meeting) => html`<li>${t('teams.meeting', {
            file: meeting.fileName,
            from: formatDateTime(meeting.startsAt, language()),
            to: formatTime(meeting.endsAt, language()),
          })}</li>`)}</ul>
          <div class="table-wrap"><table class="teams-marks">
            <caption>${t('teams.proposed')}</caption>
            <thead><tr>
              <th scope="col">${t('registration.fullName')}</th><th scope="col">${t('attendance.minutes')}</th>
              <th scope="col">${t('teams.status')}</th><th scope="col">${t('teams.current')}</th><th scope="col">${t('teams.keep')}</th>
            </tr></thead>
            <tbody>${people.map((mark) => html`<tr data-registration=${mark.registrationId}>
              <th scope="row">${mark.fullName}${mark.matchedFrom.length === 0 ? html` <small class="muted">${t('teams.notFound')}</small>` : null}</th>
              <td>${mark.minutes} / ${preview.session.minutes}</td>
              <td>${t(`attendance.${mark.status}` as MessageKey)}</td>
              <td>${mark.current ? t(`attendance.${mark.current.status}` as MessageKey) : t('attendance.unmarked')}</td>
              <td><input type="checkbox" checked=${keep.includes(mark.registrationId)} aria-label=${`${mark.fullName}: ${t('teams.keep')}`}
                onChange=${(event: Event) => {
                  const checked = (event.currentTarget as HTMLInputElement).checked;
                  const next = checked ? [...keep, mark.registrationId] : keep.filter((id) => id !== mark.registrationId);
                  setKeep(next);
                  void run('preview', matches, next);
                }} /></td>
            </tr>`)}</tbody>
          </table></div>
          <div class="table-wrap"><table class="teams-rows">
            <caption>${t('teams.rows')}</caption>
            <thead><tr>
              <th scope="col">${t('teams.line')}</th><th scope="col">${t('teams.rowName')}</th><th scope="col">${t('attendance.minutes')}</th>
              <th scope="col">${t('teams.how')}</th><th scope="col">${t('teams.isWho')}</th>
            </tr></thead>
            <tbody>${reportRows(preview).map(({ row, registrationId, how }) => html`<tr class=${registrationId ? '' : 'unmatched'}>
              <td>${preview.files.length > 1 ? `${preview.files[row.file]?.name ?? ''}: ` : ''}${row.line}</td>
              <td>${row.name}${row.email ? html` <small class="muted">${row.email}</small>` : null}</td>
              <td>${row.minutes}</td>
              <td>${how}</td>
              <td><select aria-label=${`${row.name}: ${t('teams.isWho')}`} onChange=${(event: Event) => {
                const value = (event.currentTarget as HTMLSelectElement).value;
                const next = { ...matches, [row.key]: value === '' ? null : value };
                setMatches(next);
                void run('preview', next);
              }}>
                <option value="" selected=${registrationId === ''}>${t('teams.nobody')}</option>
                ${people.map((mark) => html`<option value=${mark.registrationId} selected=${mark.registrationId === registrationId}>${nameOf.get(mark.registrationId)}</option>`)}
              </select></td>
            </tr>`)}</tbody>
          </table></div>
          ${preview.unreadable.length > 0
            ? html`<div class="notice" role="alert"><p>${t('teams.unreadable')}</p><ul>${preview.unreadable.map(
                (row) => html`<li>${t('teams.unreadableRow', {
                  file: row.fileName,
                  line: row.line,
                  problem: t(`teams.problem.${row.reason}` as MessageKey, { value: row.value ?? '' }),
                })}</li>`,
              )}</ul></div>`
            : null}
          ${preview.applied
            ? html`<p class="success" role="status">${t('teams.applied', { written: preview.applied.written, unchanged: preview.applied.unchanged })}</p>`
            : null}
          <button type="button" disabled=${busy} onClick=${() => void run('apply')}>${t('teams.apply')}</button>
        </div>`
      : null}
  </section>`;
}
