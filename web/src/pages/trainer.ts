import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
// What the trainer's pages show is what everyone may see of a training (getTraining); their own list adds contacts.
import type { PublicTraining as Training } from '../../../shared/domain/training';
import type { PathTo, ResponseBody } from '../../../shared/api/client';
import { ApiError, apiJson, download, get, getAllPages, post, postText, withQuery } from '../api';
import { formatDateTime, formatPercent, formatTime } from '../format';
import { draftOf, emptySession, trainingBody, type SessionDraft, type TrainingDraft } from '../training-form';
import { language, localized, t, type MessageKey } from '../i18n';
import { loadRegions } from '../regions';
import { loadTopics } from '../topics';
import { pathTo } from '../router';
import { HolidayWarning, ScheduleGenerator } from '../schedule-generator';
import { TeamsImport } from '../teams-import';
import { ErrorBox, Field, Loading, Notice, ProgressBar, SelectInput, StatusBadge, TextInput, useApp, useAsync } from '../ui';

/**
 * A training as its trainer sees it. GET /api/trainings/{id} is a public route, so the HTTP API
 * passes it no claims and it never shows a draft; the trainer's own list does (drafts included).
 */
async function loadManagedTraining(id: string): Promise<Training> {
  let cursor: string | undefined;
  do {
    const page = await get('myTrainings', withQuery('/api/me/trainings', { limit: 100, cursor }));
    const found = page.items.find((item) => item.id === id);
    if (found) return found;
    cursor = page.nextCursor;
  } while (cursor);
  return get('getTraining', `/api/trainings/${encodeURIComponent(id)}`);
}

export function ManagePage() {
  const list = useAsync(async () => ({ items: await getAllPages('myTrainings', '/api/me/trainings', { limit: 100 }) }), []);
  return html`<section>
    <h1 tabindex="-1">${t('manage.title')}</h1>
    <p><a class="button" href=${pathTo('newTraining')}>${t('manage.new')}</a></p>
    ${list.loading ? html`<${Loading} />` : null}
    <${ErrorBox} error=${list.error} />
    ${list.data?.items.length === 0 ? html`<${Notice}>${t('manage.none')}<//>` : null}
    <ul class="cards">
      ${list.data?.items.map(
        (training) => html`<li class="card">
          <h2><a href=${pathTo('manageTraining', { id: training.id })}>${localized(training.title)}</a></h2>
          <p><${StatusBadge} status=${training.status} label=${t(`status.${training.status}` as MessageKey)} />
            ${training.sessions[0] ? ` ${formatDateTime(training.sessions[0].startsAt, language())}` : ''}</p>
        </li>`,
      )}
    </ul>
  </section>`;
}

export function TrainingFormPage({ id }: { id?: string }) {
  const { navigate, session } = useApp();
  const existing = useAsync(() => (id ? loadManagedTraining(id) : Promise.resolve(undefined)), [id]);
  const regions = useAsync(loadRegions, []);
  const topics = useAsync(loadTopics, []);
  const [draft, setDraft] = useState<TrainingDraft>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!existing.loading) setDraft(draftOf(existing.data, session?.region ?? 'almaty'));
  }, [existing.loading]);
  if (!draft) return html`<${Loading} />`;
  const set = (patch: Partial<TrainingDraft>) => setDraft({ ...draft, ...patch });
  const setSession = (index: number, patch: Partial<SessionDraft>) =>
    set({ sessions: draft.sessions.map((item, at) => (at === index ? { ...item, ...patch } : item)) });
  const text = (label: string, name: keyof TrainingDraft, options: { type?: string; errorKey?: string; required?: boolean; step?: string } = {}) =>
    html`<${TextInput}
      label=${label}
      name=${name}
      type=${options.type}
      step=${options.step}
      required=${options.required}
      value=${draft[name] as string}
      error=${error}
      errorKey=${options.errorKey}
      onInput=${(value: string) => set({ [name]: value })}
    />`;

  return html`<section>
    <h1 tabindex="-1">${id ? t('form.editTitle') : t('form.newTitle')}</h1>
    <form
      class="stack"
      novalidate
      onSubmit=${async (event: Event) => {
        event.preventDefault();
        setBusy(true);
        setError(undefined);
        try {
          const body = trainingBody(draft, Boolean(id));
          const saved = id
            ? await apiJson('PATCH', 'updateTraining', `/api/trainings/${encodeURIComponent(id)}`, body)
            : await post('createTraining', '/api/trainings', body);
          navigate(pathTo('manageTraining', { id: saved.id }));
        } catch (caught) {
          setError(caught);
        } finally {
          setBusy(false);
        }
      }}
    >
      <fieldset>
        <legend>${t('form.titles')}</legend>
        ${text(t('form.titleKk'), 'titleKk', { errorKey: 'title.kk' })}
        ${text(t('form.titleRu'), 'titleRu', { errorKey: 'title.ru' })}
        ${text(t('form.titleEn'), 'titleEn', { errorKey: 'title.en' })}
        ${error instanceof ApiError && error.fields.title ? html`<p class="field-error">${error.fields.title.join('; ')}</p>` : null}
      </fieldset>
      <${Field} label=${t('form.description')} name="description" error=${error}>
        ${(fieldId: string, describedBy: string | undefined) => html`<textarea id=${fieldId} rows="3" aria-describedby=${describedBy} value=${draft.description}
          onInput=${(event: Event) => set({ description: (event.currentTarget as HTMLTextAreaElement).value })}></textarea>`}
      <//>
      <${SelectInput} label=${t('form.topic')} name="topic" value=${draft.topic} error=${error}
        options=${[
          // Nothing is chosen for a new training, so the API names the field if it is left so.
          { value: '', label: t('form.topicChoose') },
          ...(topics.data ?? []).map((topic) => ({ value: topic.id, label: topic.name[language()] })),
        ]}
        onChange=${(value: string) => set({ topic: value })} />
      <div class="row">
        <${SelectInput} label=${t('trainings.language')} name="language" value=${draft.language} error=${error}
          options=${['kk', 'ru', 'en'].map((code) => ({ value: code, label: t(`language.${code}` as MessageKey) }))}
          onChange=${(value: string) => set({ language: value })} />
        <${SelectInput} label=${t('trainings.region')} name="region" value=${draft.region} error=${error}
          options=${(regions.data ?? []).map((region) => ({ value: region.id, label: region.name[language()] }))}
          onChange=${(value: string) => set({ region: value })} />
        <${SelectInput} label=${t('training.levelLabel')} name="level" value=${draft.level} error=${error}
          options=${['0', '1', '2'].map((level) => ({ value: level, label: t(`level.${level}` as MessageKey) }))}
          onChange=${(value: string) => set({ level: value })} />
      </div>
      <label class="checkbox">
        <input type="checkbox" name="renewsLevel" checked=${draft.renewsLevel}
          onChange=${(event: Event) => set({ renewsLevel: (event.currentTarget as HTMLInputElement).checked })} />
        ${t('training.renewsLevel', { level: draft.level })}
      </label>
      ${error instanceof ApiError && error.fields.renewsLevel ? html`<p class="field-error">${error.fields.renewsLevel.join('; ')}</p>` : null}
      <div class="row">
        ${text(t('training.hoursLabel'), 'hours', { type: 'number', required: true, step: '0.5' })}
        ${text(t('form.ects'), 'ects', { type: 'number', step: '0.5' })}
        ${text(t('form.capacity'), 'capacity', { type: 'number', required: true })}
      </div>
      <h2>${t('training.sessions')}</h2>
      <p class="muted">${t('form.timesInAlmaty')}</p>
      ${error instanceof ApiError && error.fields.sessions ? html`<p class="field-error">${error.fields.sessions.join('; ')}</p>` : null}
      <${ScheduleGenerator} onUse=${(sessions: SessionDraft[]) => set({ sessions })} />
      ${draft.sessions.map(
        (item, index) => html`<fieldset class="session" data-session=${index}>
          <legend>${t('form.session', { number: index + 1 })}</legend>
          <div class="row">
            <${TextInput} label=${t('form.startsAt')} name=${`startsAt-${index}`} type="datetime-local" value=${item.startsAt} error=${error} errorKey=${`sessions.${index}.startsAt`} onInput=${(value: string) => setSession(index, { startsAt: value })} />
            <${TextInput} label=${t('form.endsAt')} name=${`endsAt-${index}`} type="datetime-local" value=${item.endsAt} error=${error} errorKey=${`sessions.${index}.endsAt`} onInput=${(value: string) => setSession(index, { endsAt: value })} />
          </div>
          <${HolidayWarning} value=${item.startsAt} />
          <${TextInput} label=${t('form.venue')} name=${`venue-${index}`} value=${item.venue} error=${error} errorKey=${`sessions.${index}.venue`} onInput=${(value: string) => setSession(index, { venue: value })} />
          <${TextInput} label=${t('form.onlineUrl')} name=${`onlineUrl-${index}`} type="url" value=${item.onlineUrl} error=${error} errorKey=${`sessions.${index}.onlineUrl`} onInput=${(value: string) => setSession(index, { onlineUrl: value })} />
          ${draft.sessions.length > 1
            ? html`<button type="button" class="link-button" onClick=${() => set({ sessions: draft.sessions.filter((_, at) => at !== index) })}>${t('form.removeSession', { number: index + 1 })}</button>`
            : null}
        </fieldset>`,
      )}
      <p><button type="button" class="secondary" onClick=${() => set({ sessions: [...draft.sessions, emptySession()] })}>${t('form.addSession')}</button></p>
      <${ErrorBox} error=${error} />
      <button type="submit" disabled=${busy}>${t('form.save')}</button>
    </form>
  </section>`;
}


function Roster({ training }: { training: Training }) {
  const [loaded, setLoaded] = useState(0);
  // Every page: a 1,000-person cohort is five pages of 200, all of them on the screen.
  const roster = useAsync(async () => ({ items: await getAllPages('roster', `/api/trainings/${training.id}/registrations`, { limit: 200 }, setLoaded) }), [training.id]);
  const [importing, setImporting] = useState(false);
  const [csv, setCsv] = useState('');
  const [report, setReport] = useState<{ results: { row: number; status: string; error?: string; waitlistPosition?: number }[]; summary: Record<string, number> }>();
  const [error, setError] = useState<unknown>();
  return html`<section aria-labelledby="roster-heading">
    <h2 id="roster-heading">${t('manage.roster')}</h2>
    <${ErrorBox} error=${roster.error} />
    ${roster.loading ? html`<${ProgressBar} label=${t('manage.rosterLoading')} value=${loaded} />` : null}
    ${roster.data ? html`<p class="muted" data-testid="roster-count">${t('manage.rosterCount', { count: roster.data.items.length })}</p>` : null}
    <div class="table-wrap"><table>
      <caption class="visually-hidden">${t('manage.roster')}</caption>
      <thead><tr><th scope="col">${t('registration.fullName')}</th><th scope="col">${t('signIn.email')}</th><th scope="col">${t('registration.school')}</th><th scope="col">${t('training.status')}</th></tr></thead>
      <tbody>
        ${roster.data?.items.map(
          (entry) => html`<tr>
            <td>${entry.fullName}</td><td>${entry.email}</td><td>${entry.school ?? ''}</td>
            <td>${t(`registration.${entry.status}` as MessageKey)}${entry.waitlistPosition ? ` (${entry.waitlistPosition})` : ''}</td>
          </tr>`,
        )}
      </tbody>
    </table></div>
    ${training.status === 'published'
      ? html`<form
          class="stack"
          onSubmit=${async (event: Event) => {
            event.preventDefault();
            setError(undefined);
            setImporting(true);
            try {
              setReport(await postText('importRegistrations', `/api/trainings/${training.id}/registrations/import`, csv, 'text/csv; charset=utf-8'));
              roster.reload();
            } catch (caught) {
              setError(caught);
            } finally {
              setImporting(false);
            }
          }}
        >
          <h3>${t('import.title')}</h3>
          <${Field} label=${t('import.file')} name="csv-file" hint=${t('import.hint')}>
            ${(fieldId: string, describedBy: string | undefined) => html`<input type="file" id=${fieldId} accept=".csv,text/csv" aria-describedby=${describedBy}
              onChange=${async (event: Event) => {
                const file = (event.currentTarget as HTMLInputElement).files?.[0];
                if (file) setCsv(await file.text());
              }} />`}
          <//>
          <${ErrorBox} error=${error} />
          ${importing ? html`<${ProgressBar} label=${t('import.running', { rows: Math.max(0, csv.split('\n').filter((line) => line.trim()).length - 1) })} />` : null}
          <button type="submit" disabled=${!csv || importing}>${t('import.submit')}</button>
        </form>`
      : null}
    ${report
      ? html`<div role="status">
          <p>${t('import.summary', { confirmed: report.summary.confirmed ?? 0, waitlisted: report.summary.waitlisted ?? 0, error: report.summary.error ?? 0 })}</p>
          <ul>${report.results.filter((result) => result.status === 'error').map((result) => html`<li class="error">${result.error}</li>`)}</ul>
        </div>`
      : null}
  </section>`;
}

type Cell = 'present' | 'absent' | 'late' | 'unmarked';

function AttendanceGrid({ training }: { training: Training }) {
  const report = useAsync(() => get('attendanceReport', `/api/trainings/${training.id}/attendance?format=json`), [training.id]);
  const [sessionId, setSessionId] = useState(training.sessions[0]?.id ?? '');
  const [marks, setMarks] = useState<Record<string, { status: Cell; minutes: string }>>({});
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    const next: Record<string, { status: Cell; minutes: string }> = {};
    for (const participant of report.data?.participants ?? []) {
      const minutes = participant.minutes[sessionId];
      next[participant.registrationId] = { status: participant.sessions[sessionId] ?? 'unmarked', minutes: minutes === undefined ? '' : String(minutes) };
    }
    setMarks(next);
  }, [report.data, sessionId]);
  useEffect(() => setSaved(false), [sessionId]);
  // Only the first load: a reload after saving keeps the grid (and the Teams import beside it) in place.
  if (report.loading && !report.data) return html`<${Loading} />`;
  const participants = report.data?.participants ?? [];
  return html`<section aria-labelledby="attendance-heading">
    <h2 id="attendance-heading">${t('attendance.title')}</h2>
    <${ErrorBox} error=${report.error} />
    <${SelectInput} label=${t('attendance.session')} name="attendance-session" value=${sessionId}
      options=${training.sessions.map((session, index) => ({ value: session.id, label: `${index + 1}. ${formatDateTime(session.startsAt, language())}` }))}
      onChange=${setSessionId} />
    <p class="actions">
      ${training.sessions.map(
        (session, index) => html`<a class="button secondary" href=${pathTo('checkInScreen', { id: training.id, sessionId: session.id })}>${t('attendance.showQr', { number: index + 1 })}</a>`,
      )}
    </p>
    ${participants.length > 0 && sessionId ? html`<${TeamsImport} training=${training} sessionId=${sessionId} onApplied=${() => report.reload()} />` : null}
    ${participants.length === 0
      ? html`<${Notice}>${t('attendance.nobody')}<//>`
      : html`<form
          onSubmit=${async (event: Event) => {
            event.preventDefault();
            setError(undefined);
            setSaved(false);
            const records = Object.entries(marks)
              .filter(([, mark]) => mark.status !== 'unmarked')
              .map(([registrationId, mark]) => ({ registrationId, status: mark.status, ...(mark.minutes !== '' ? { minutes: Number(mark.minutes) } : {}) }));
            try {
              await apiJson('PUT', 'recordAttendance', `/api/trainings/${training.id}/sessions/${sessionId}/attendance`, { records });
              setSaved(true);
              report.reload();
            } catch (caught) {
              setError(caught);
            }
          }}
        >
          <div class="table-wrap"><table class="attendance">
            <caption class="visually-hidden">${t('attendance.title')}</caption>
            <thead><tr>
              <th scope="col">${t('registration.fullName')}</th>
              <th scope="col">${t('attendance.present')}</th><th scope="col">${t('attendance.late')}</th><th scope="col">${t('attendance.absent')}</th>
              <th scope="col">${t('attendance.minutes')}</th><th scope="col">${t('attendance.hours')}</th>
            </tr></thead>
            <tbody>
              ${participants.map((participant, index) => {
                const mark = marks[participant.registrationId] ?? { status: 'unmarked', minutes: '' };
                const radio = (status: Cell) => html`<td><input type="radio" name=${`mark-${participant.registrationId}`} value=${status}
                  aria-label=${`${participant.fullName}: ${t(`attendance.${status}` as MessageKey)}`}
                  checked=${mark.status === status}
                  onChange=${() => setMarks({ ...marks, [participant.registrationId]: { ...mark, status } })} /></td>`;
                const minuteErrors = error instanceof ApiError ? Object.entries(error.fields).filter(([key]) => key.startsWith('records.')).map(([, messages]) => messages.join('; ')) : [];
                return html`<tr data-registration=${participant.registrationId}>
                  <th scope="row">${participant.fullName}</th>
                  ${radio('present')}${radio('late')}${radio('absent')}
                  <td><input type="number" min="0" max="1440" class="narrow" value=${mark.minutes} aria-label=${`${participant.fullName}: ${t('attendance.minutes')}`}
                    onInput=${(event: Event) => setMarks({ ...marks, [participant.registrationId]: { ...mark, minutes: (event.currentTarget as HTMLInputElement).value } })} />
                    ${index === 0 && minuteErrors.length > 0 ? html`<p class="field-error">${minuteErrors.join('; ')}</p>` : null}</td>
                  <td>${participant.attendedHours} / ${report.data?.requiredHours}</td>
                </tr>`;
              })}
            </tbody>
          </table></div>
          <${ErrorBox} error=${error} />
          ${saved ? html`<p class="success" role="status">${t('attendance.saved')}</p>` : null}
          <button type="submit">${t('attendance.save')}</button>
        </form>`}
  </section>`;
}


function IssuanceProgress({ training }: { training: Training }) {
  const progress = useAsync(() => get('issuanceProgress', `/api/trainings/${training.id}/issuance`), [training.id]);
  const pending = progress.data?.summary.pending ?? 0;
  // While certificates are still being made, the bar moves by itself.
  useEffect(() => {
    if (pending === 0) return undefined;
    const timer = setTimeout(() => progress.reload(), 3000);
    return () => clearTimeout(timer);
  }, [progress.data]);
  const [error, setError] = useState<unknown>();
  const [resent, setResent] = useState<string>();
  return html`<section aria-labelledby="issuance-heading">
    <h2 id="issuance-heading">${t('issuance.title')}</h2>
    ${progress.loading ? html`<${Loading} />` : null}
    <${ErrorBox} error=${progress.error ?? error} />
    ${progress.data
      ? html`<p>${t('issuance.summary', { ...progress.data.summary })}</p>
          <${ProgressBar} label=${t('issuance.progress')} value=${progress.data.summary.issued + progress.data.summary.notCompleted} max=${progress.data.summary.participants} />
          <p class="actions">
            <button type="button" class="secondary" onClick=${() => progress.reload()}>${t('common.refresh')}</button>
          </p>
          ${progress.data.summary.issued > 0 ? html`<${CertificatesZip} training=${training} issued=${progress.data.summary.issued} />` : null}
          <div class="table-wrap"><table>
            <thead><tr><th scope="col">${t('registration.fullName')}</th><th scope="col">${t('issuance.outcome')}</th><th scope="col">${t('verify.number')}</th><th scope="col">${t('issuance.delivery')}</th><th scope="col"><span class="visually-hidden">${t('issuance.resend')}</span></th></tr></thead>
            <tbody>
              ${progress.data.items.map(
                (item) => html`<tr>
                  <td>${item.fullName}</td>
                  <td>${t(`issuance.${item.outcome}` as MessageKey)}</td>
                  <td>${item.number ?? ''}</td>
                  <td>${item.delivery ? `${t(`delivery.${item.delivery.status}` as MessageKey)} · ${formatDateTime(item.delivery.at, language())}` : ''}</td>
                  <td>${item.certificateId
                    ? html`<button type="button" class="link-button" onClick=${() => {
                        setError(undefined);
                        post('resendCertificate', `/api/certificates/${item.certificateId}/resend`).then(() => setResent(item.fullName), setError);
                      }}>${t('issuance.resend')}</button>`
                    : null}</td>
                </tr>`,
              )}
            </tbody>
          </table></div>
          ${resent ? html`<p class="success" role="status">${t('issuance.resent', { name: resent })}</p>` : null}`
      : null}
  </section>`;
}

type ZipJob = ResponseBody<'certificatesZip'>;

/**
 * All certificates in one ZIP, built in the background whatever the training's size: the bar
 * moves while the server packs them (asking again when it says to), then the link, which works
 * for 15 minutes; pressing the button again after that asks for a fresh one.
 */
function CertificatesZip({ training, issued }: { training: Training; issued: number }) {
  const [job, setJob] = useState<ZipJob>();
  const [error, setError] = useState<unknown>();
  const ask = () => get('certificatesZip', withQuery(`/api/trainings/${training.id}/certificates.zip`, { async: 1 })).then(setJob, (failure: unknown) => {
    setJob(undefined);
    setError(failure);
  });
  useEffect(() => {
    if (job?.status !== 'building') return undefined;
    const timer = setTimeout(() => void ask(), Math.max(1, job.retryAfterSeconds) * 1000);
    return () => clearTimeout(timer);
  }, [job]);
  const building = job?.status === 'building';
  return html`<div class="zip-download">
    <p class="actions">
      <button type="button" class="secondary" disabled=${building} onClick=${() => {
        setError(undefined);
        setJob({ status: 'building', done: 0, total: 0, retryAfterSeconds: 0 });
        void ask();
      }}>${t('issuance.zip')}</button>
    </p>
    <${ErrorBox} error=${error} />
    ${building ? html`<${ProgressBar} label=${t('issuance.zipping', { count: job.total || issued })} value=${job.total > 0 ? job.done : undefined} max=${job.total || undefined} />` : null}
    ${job?.status === 'ready' && job.downloadUrl
      ? html`<p role="status"><a class="button" href=${job.downloadUrl} download>${t('issuance.zipReady')}</a>
          <span class="muted"> ${t('issuance.zipExpires', { time: formatDateTime(job.expiresAt ?? '', language()) })}</span></p>`
      : null}
    ${job?.status === 'failed' ? html`<p class="field-error" role="alert">${t('issuance.zipFailed')}</p>` : null}
  </div>`;
}

/** One question's released answers, with the next pages on demand. */
function AnswerList({ training, question, first, minimum }: { training: Training; question: string; first: NonNullable<ResponseBody<'feedbackSummary'>['answers']>[keyof NonNullable<ResponseBody<'feedbackSummary'>['answers']>]; minimum: number }) {
  const [items, setItems] = useState(first.items);
  const [cursor, setCursor] = useState(first.nextCursor);
  const [error, setError] = useState<unknown>();
  if (first.withheld) return html`<p class="muted">${t('feedbackSummary.withheld', { count: first.total, minimum })}</p>`;
  if (first.total === 0) return null;
  return html`<ul class="answers">${items.map((answer) => html`<li>${answer}</li>`)}</ul>
    <${ErrorBox} error=${error} />
    ${cursor
      ? html`<button type="button" class="secondary" onClick=${async () => {
          try {
            const next = await get('feedbackAnswers', withQuery(`/api/trainings/${training.id}/feedback/answers`, { question, cursor }));
            setItems([...items, ...next.items]);
            // Before release a page has no cursor (and no count); this list exists only after it.
            setCursor('nextCursor' in next ? next.nextCursor : undefined);
          } catch (caught) {
            setError(caught);
          }
        }}>${t('feedbackSummary.more')}</button>`
      : null}`;
}

function FeedbackSummaryPanel({ training }: { training: Training }) {
  const summary = useAsync(() => get('feedbackSummary', `/api/trainings/${training.id}/feedback/summary?lang=${language()}`), [training.id]);
  // The questions' wording, in the reader's language, heads each question's answers.
  const form = useAsync(() => get('feedbackForm', `/api/trainings/${training.id}/feedback/form?lang=${language()}`), [training.id]);
  const questionText = (id: string) => form.data?.questions.find((question) => question.id === id)?.text ?? id;
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const data = summary.data;
  const closeEarly = async () => {
    if (!window.confirm(t('feedbackSummary.closeEarlyConfirm'))) return;
    setBusy(true);
    setError(undefined);
    try {
      await post('closeFeedback', `/api/trainings/${training.id}/feedback/close`);
      summary.reload();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return html`<section aria-labelledby="feedback-summary-heading" data-testid="feedback-summary">
    <h2 id="feedback-summary-heading">${t('feedbackSummary.title')}</h2>
    <${ErrorBox} error=${summary.error} />
    ${data
      ? html`<p>${t('feedbackSummary.rate', { responses: data.responses, confirmed: data.confirmed, rate: formatPercent(data.responseRate, language()) })}</p>
          ${data.releasedAt
            ? html`<p>${t('feedbackSummary.releasedAt', { at: formatDateTime(data.releasedAt, language()) })}</p>`
            : html`<p class="muted">${t('feedbackSummary.notReleased', { closes: formatDateTime(data.window.closesAt, language()), minimum: data.minimumResponses })}</p>`}
          ${data.hiddenReason === 'below_minimum' ? html`<p class="muted">${t('feedbackSummary.hidden', { minimum: data.minimumResponses })}</p>` : null}
          ${data.ratings
            ? html`<ul>${Object.entries(data.ratings).map(([id, rating]) => html`<li>${t(`rating.${id}` as MessageKey)}: ${rating.mean ?? '—'}</li>`)}</ul>`
            : null}
          ${data.answers
            ? Object.entries(data.answers).map(
                ([question, page]) =>
                  page.total > 0
                    ? html`<h3>${questionText(question)}</h3><${AnswerList} training=${training} question=${question} first=${page} minimum=${data.minimumResponses} />`
                    : null,
              )
            : null}
          ${data.nonResponders && data.nonResponders.length > 0
            ? html`<p>${t('feedbackSummary.nonResponders')}: ${data.nonResponders.map((person) => person.fullName).join(', ')}</p>`
            : null}
          <${ErrorBox} error=${error} />
          <p class="actions">
            ${data.releasedAt === null && data.nonResponders
              ? html`<button type="button" disabled=${busy || !data.canCloseEarly} onClick=${() => void closeEarly()}>${t('feedbackSummary.closeEarly')}</button>
                  ${data.canCloseEarly ? null : html`<small class="muted">${t('feedbackSummary.closeEarlyNeeds', { minimum: data.minimumResponses })}</small>`}`
              : null}
            <button type="button" class="secondary" onClick=${() => void download(`/api/trainings/${training.id}/feedback/summary?format=csv&lang=${language()}`, `feedback-${training.id}.csv`)}>CSV</button>
            <button type="button" class="secondary" onClick=${() => void download(`/api/trainings/${training.id}/feedback/summary?format=xlsx&lang=${language()}`, `feedback-${training.id}.xlsx`)}>XLSX</button>
          </p>`
      : null}
  </section>`;
}

export function ManageTrainingPage({ id }: { id: string }) {
  const training = useAsync(() => loadManagedTraining(id), [id]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  if (training.loading && !training.data) return html`<${Loading} />`;
  if (!training.data) return html`<section><h1 tabindex="-1">${t('training.title')}</h1><${ErrorBox} error=${training.error} /></section>`;
  const item = training.data;
  const act = async <N extends 'publishTraining' | 'cancelTraining' | 'closeTraining'>(route: N, path: PathTo<N>) => {
    setBusy(true);
    setError(undefined);
    try {
      await post(route, path);
      training.reload();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return html`<section>
    <h1 tabindex="-1">${localized(item.title)}</h1>
    <p><${StatusBadge} status=${item.status} label=${t(`status.${item.status}` as MessageKey)} /></p>
    <ol class="sessions">
      ${item.sessions.map((session) => html`<li>${formatDateTime(session.startsAt, language())} – ${formatTime(session.endsAt, language())}</li>`)}
    </ol>
    <p class="actions">
      ${item.status === 'draft'
        ? html`<a class="button secondary" href=${pathTo('editTraining', { id: item.id })}>${t('manage.edit')}</a>
            <button type="button" disabled=${busy} onClick=${() => void act('publishTraining', `/api/trainings/${item.id}/publish`)}>${t('manage.publish')}</button>`
        : null}
      ${item.status === 'published'
        ? html`<button type="button" disabled=${busy} onClick=${() => void act('closeTraining', `/api/trainings/${item.id}/close`)}>${t('manage.close')}</button>
            <button type="button" class="danger" disabled=${busy} onClick=${() => window.confirm(t('manage.cancelConfirm')) && void act('cancelTraining', `/api/trainings/${item.id}/cancel`)}>${t('manage.cancel')}</button>`
        : null}
      <a href=${pathTo('training', { id: item.id })}>${t('manage.publicPage')}</a>
      ${item.status !== 'draft' ? html`<a href=${pathTo('trainerJournal', { id: item.id })}>${t('journal.sharedLink')}</a>` : null}
    </p>
    <${ErrorBox} error=${error} />
    ${item.status !== 'draft' ? html`<${Roster} training=${item} />` : null}
    ${item.status === 'published' || item.status === 'closed' ? html`<${AttendanceGrid} training=${item} />` : null}
    ${item.status === 'closed' ? html`<${IssuanceProgress} training=${item} />` : null}
    ${item.status === 'published' || item.status === 'closed' ? html`<${FeedbackSummaryPanel} training=${item} />` : null}
  </section>`;
}

type IssuedCode = ResponseBody<'issueCheckInCode'>;

/** The projector view: the current code and its QR, fetched again before it expires. */
export function CheckInScreenPage({ id, sessionId }: { id: string; sessionId: string }) {
  const [code, setCode] = useState<IssuedCode>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    const refresh = async () => {
      try {
        const issued = await post('issueCheckInCode', `/api/trainings/${encodeURIComponent(id)}/sessions/${encodeURIComponent(sessionId)}/check-in-codes`);
        if (!live) return;
        setCode(issued);
        setError(undefined);
        const untilExpiry = new Date(issued.expiresAt).getTime() - Date.now();
        timer = setTimeout(() => void refresh(), Math.min(60_000, Math.max(5_000, untilExpiry - 10_000)));
      } catch (caught) {
        if (!live) return;
        setError(caught);
        timer = setTimeout(() => void refresh(), 15_000);
      }
    };
    void refresh();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [id, sessionId]);
  return html`<section class="qr-screen">
    <h1 tabindex="-1">${t('qr.title')}</h1>
    <${ErrorBox} error=${error} />
    ${code
      ? html`<div class="qr" role="img" aria-label=${t('qr.alt')} dangerouslySetInnerHTML=${{ __html: code.qrSvg }}></div>
          <p class="big-code" data-testid="check-in-code" aria-live="polite">${code.code}</p>
          <p>${t('qr.instructions', { url: `${location.origin}${pathTo('checkIn')}` })}</p>`
      : html`<${Loading} />`}
    <p class="actions">
      <button type="button" class="secondary" onClick=${() => void document.documentElement.requestFullscreen?.().catch(() => undefined)}>${t('qr.fullScreen')}</button>
      <a href=${pathTo('manageTraining', { id })}>${t('qr.back')}</a>
    </p>
  </section>`;
}
