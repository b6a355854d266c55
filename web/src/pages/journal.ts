import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { PublicTraining as Training } from '../../../shared/domain/training';
import { apiJson, download, get, post, withQuery } from '../api';
import { formatDate } from '../format';
import { language, languages, localized, t } from '../i18n';
import { pathTo } from '../router';
import { ErrorBox, Field, Loading, Notice, SelectInput, TextInput, useApp, useAsync } from '../ui';
import type { ResponseBody } from '../../../shared/api/client';

type Comment = ResponseBody<'commentJournalEntry'>;

/** An entry as listed (no comments) or opened (with the trainer's comments). */
type Entry = ResponseBody<'listJournal'>['items'][number] & Partial<Pick<ResponseBody<'getJournalEntry'>, 'visibleToTrainer' | 'comments'>>;


type SharedEntry = ResponseBody<'trainerJournal'>['items'][number];

const TEXT_MAX = 20_000;

/** The trainings I took part in: the ones an entry can be about and shared with. */
async function myTrainings(): Promise<Training[]> {
  const { items } = await get('myRegistrations', '/api/me/registrations?limit=500');
  const confirmed = items.filter((item) => item.status === 'confirmed');
  const trainings = await Promise.all(confirmed.map((item) => get('getTraining', `/api/trainings/${item.trainingId}`).catch(() => undefined)));
  return trainings.filter((training): training is Training => training !== undefined);
}

function Comments({ comments }: { comments: readonly Comment[] }) {
  if (comments.length === 0) return null;
  return html`<section aria-label=${t('journal.comments')} class="stack">
    <h3>${t('journal.comments')}</h3>
    <ul class="cards" data-testid="journal-comments">
      ${comments.map(
        (comment) => html`<li class="card">
          <p class="muted">${comment.authorName} · ${formatDate(comment.createdAt, language())}</p>
          <p class="prewrap">${comment.text}</p>
        </li>`,
      )}
    </ul>
  </section>`;
}

const JOURNAL_PAGE = 50;

export function JournalPage() {
  const entries = useAsync(() => get('listJournal', withQuery('/api/me/journal', { limit: JOURNAL_PAGE })), []);
  // Later pages, fetched on demand with the sealed cursor the previous page handed out.
  const [more, setMore] = useState<{ items: Entry[]; cursor: string | undefined } | undefined>();
  const [error, setError] = useState<unknown>();
  const cursor = more ? more.cursor : entries.data?.nextCursor;
  const loadMore = async () => {
    try {
      const next = await get('listJournal', withQuery('/api/me/journal', { limit: JOURNAL_PAGE, cursor }));
      setMore({ items: [...(more?.items ?? []), ...next.items], cursor: next.nextCursor });
    } catch (caught) {
      setError(caught);
    }
  };
  const exportAs = (format: 'md' | 'pdf') =>
    download(withQuery('/api/me/journal-export', { format, lang: language() }), `journal.${format}`).catch(setError);
  return html`<section>
    <h1 tabindex="-1">${t('journal.title')}</h1>
    <p class="muted">${t('journal.private')}</p>
    <p class="actions">
      <a class="button" href=${pathTo('journalNew')}>${t('journal.write')}</a>
      <button type="button" class="secondary" onClick=${() => void exportAs('md')}>${t('journal.exportMarkdown')}</button>
      <button type="button" class="secondary" onClick=${() => void exportAs('pdf')}>${t('journal.exportPdf')}</button>
    </p>
    <${ErrorBox} error=${error ?? entries.error} />
    ${entries.loading ? html`<${Loading} />` : null}
    ${entries.data?.items.length === 0 ? html`<${Notice}>${t('journal.empty')}<//>` : null}
    <ul class="cards">
      ${[...(entries.data?.items ?? []), ...(more?.items ?? [])].map(
        (entry) => html`<li class="card">
          <h2><a href=${pathTo('journalEntry', { entryId: entry.entryId })}>${entry.title}</a></h2>
          <p class="muted">${formatDate(entry.createdAt, language())}${entry.sharedAt ? html` · ${t('journal.sharedBadge')}` : null}</p>
        </li>`,
      )}
    </ul>
    ${cursor ? html`<button type="button" class="secondary" data-testid="journal-more" onClick=${() => void loadMore()}>${t('journal.more')}</button>` : null}
  </section>`;
}

/** Writing a new entry (no id) or editing one: prompts beside the editor, sharing under it. */
export function JournalEntryPage({ entryId }: { entryId?: string }) {
  const { navigate } = useApp();
  const loaded = useAsync(async () => {
    const [entry, trainings] = await Promise.all([
      entryId ? get('getJournalEntry', `/api/me/journal/${encodeURIComponent(entryId)}`) : Promise.resolve(undefined),
      myTrainings(),
    ]);
    return { entry, trainings };
  }, [entryId]);
  if (loaded.loading && !loaded.data) return html`<${Loading} />`;
  if (!loaded.data) return html`<${ErrorBox} error=${loaded.error} />`;
  return html`<${JournalEditor} key=${entryId ?? 'new'} entry=${loaded.data.entry} trainings=${loaded.data.trainings} onSaved=${(saved: Entry) => {
    if (!entryId) navigate(pathTo('journalEntry', { entryId: saved.entryId }));
    else loaded.reload();
  }} />`;
}

function JournalEditor({ entry, trainings, onSaved }: { entry: Entry | undefined; trainings: Training[]; onSaved: (entry: Entry) => void }) {
  const { navigate } = useApp();
  const [form, setForm] = useState({
    title: entry?.title ?? '',
    text: entry?.text ?? '',
    language: entry?.language ?? language(),
    trainingId: entry?.trainingId ?? '',
    prompt: entry?.prompt ?? '',
  });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const prompts = useAsync(
    () => get('journalPrompts', withQuery('/api/journal/prompts', { lang: language(), trainingId: form.trainingId || undefined })),
    [form.trainingId],
  );

  const act = async (action: () => Promise<Entry | undefined>) => {
    setBusy(true);
    setError(undefined);
    setSaved(false);
    try {
      const result = await action();
      if (result) {
        setSaved(true);
        onSaved(result);
      }
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const save = () =>
    act(() => {
      const body = {
        title: form.title,
        text: form.text,
        language: form.language,
        ...(entry ? { trainingId: form.trainingId || null, prompt: form.prompt || null } : {}),
        ...(!entry && form.trainingId ? { trainingId: form.trainingId } : {}),
        ...(!entry && form.prompt ? { prompt: form.prompt } : {}),
      };
      return entry ? apiJson('PATCH', 'updateJournalEntry', `/api/me/journal/${entry.entryId}`, body) : post('createJournalEntry', '/api/me/journal', body);
    });

  const training = trainings.find((item) => item.id === form.trainingId);
  return html`<section>
    <h1 tabindex="-1">${entry ? t('journal.edit') : t('journal.write')}</h1>
    <div class="journal-layout">
      <form
        class="stack"
        onSubmit=${(event: Event) => {
          event.preventDefault();
          void save();
        }}
      >
        <${TextInput} label=${t('journal.entryTitle')} name="title" value=${form.title} required error=${error} onInput=${(title: string) => setForm({ ...form, title })} />
        <${SelectInput}
          label=${t('journal.language')}
          name="language"
          value=${form.language}
          options=${languages.map((code) => ({ value: code, label: t(`language.${code}`) }))}
          error=${error}
          onChange=${(value: string) => setForm({ ...form, language: value as Entry['language'] })}
        />
        <${SelectInput}
          label=${t('journal.training')}
          name="trainingId"
          value=${form.trainingId}
          options=${[{ value: '', label: t('journal.noTraining') }, ...trainings.map((item) => ({ value: item.id, label: localized(item.title) }))]}
          error=${error}
          onChange=${(trainingId: string) => setForm({ ...form, trainingId })}
        />
        ${form.prompt ? html`<p class="muted" data-testid="journal-prompt">${t('journal.prompt')}: ${form.prompt}</p>` : null}
        <${Field} label=${t('journal.text')} name="text" error=${error} hint=${t('journal.textHint', { max: TEXT_MAX.toLocaleString() })}>
          ${(id: string, describedBy: string | undefined) => html`<textarea
            id=${id}
            name="text"
            rows="14"
            required
            maxlength=${TEXT_MAX}
            aria-describedby=${describedBy}
            value=${form.text}
            onInput=${(event: Event) => setForm({ ...form, text: (event.currentTarget as HTMLTextAreaElement).value })}
          ></textarea>`}
        <//>
        <${ErrorBox} error=${error} />
        ${saved ? html`<p role="status">${t('journal.saved')}</p>` : null}
        <p class="actions">
          <button type="submit" disabled=${busy}>${t('journal.save')}</button>
          ${entry
            ? html`<button
                type="button"
                class="danger"
                disabled=${busy}
                onClick=${() =>
                  window.confirm(t('journal.deleteConfirm')) &&
                  void act(async () => {
                    await apiJson('DELETE', 'deleteJournalEntry', `/api/me/journal/${entry.entryId}`);
                    navigate(pathTo('journal'));
                    return undefined;
                  })}
              >${t('journal.delete')}</button>`
            : null}
        </p>
        ${entry && entry.trainingId
          ? html`<section class="stack" aria-label=${t('journal.sharing')}>
              <h2>${t('journal.sharing')}</h2>
              <p data-testid="journal-visibility">${entry.visibleToTrainer ? t('journal.visibleToTrainer', { trainer: training?.trainer.name ?? '' }) : t('journal.privateNow')}</p>
              <p class="actions">
                <button
                  type="button"
                  class="secondary"
                  disabled=${busy}
                  onClick=${() => void act(() => apiJson('PUT', 'shareJournalEntry', `/api/me/journal/${entry.entryId}/share`, { shared: !entry.sharedAt }))}
                >${entry.sharedAt ? t('journal.unshare') : t('journal.share')}</button>
                <button
                  type="button"
                  class="secondary"
                  disabled=${busy}
                  onClick=${() =>
                    void act(async () => {
                      await apiJson('PUT', 'shareJournalTraining', `/api/me/journal/trainings/${entry.trainingId}/share`, { shared: true });
                      return get('getJournalEntry', `/api/me/journal/${entry.entryId}`);
                    })}
                >${t('journal.shareAll')}</button>
                <button
                  type="button"
                  class="secondary"
                  disabled=${busy}
                  onClick=${() =>
                    void act(async () => {
                      await apiJson('PUT', 'shareJournalTraining', `/api/me/journal/trainings/${entry.trainingId}/share`, { shared: false });
                      return get('getJournalEntry', `/api/me/journal/${entry.entryId}`);
                    })}
                >${t('journal.unshareAll')}</button>
              </p>
            </section>`
          : null}
        ${entry ? html`<${Comments} comments=${entry.comments ?? []} />` : null}
      </form>
      <aside aria-label=${t('journal.prompts')} class="stack">
        <h2>${t('journal.prompts')}</h2>
        ${prompts.loading ? html`<${Loading} />` : null}
        <ul class="prompts">
          ${prompts.data?.prompts.map(
            (prompt) => html`<li>
              <button type="button" class="link-button" onClick=${() => setForm({ ...form, prompt: prompt.text, title: form.title || prompt.text.slice(0, 120) })}>${prompt.text}</button>
            </li>`,
          )}
        </ul>
      </aside>
    </div>
  </section>`;
}

/** The trainer's view: what participants shared with this training, and a comment box under each. */
export function TrainerJournalPage({ id }: { id: string }) {
  const shared = useAsync(() => get('trainerJournal', `/api/trainings/${encodeURIComponent(id)}/journal`), [id]);
  return html`<section>
    <h1 tabindex="-1">${t('journal.sharedTitle')}</h1>
    <p><a href=${pathTo('manageTraining', { id })}>${t('journal.backToTraining')}</a></p>
    <${ErrorBox} error=${shared.error} />
    ${shared.loading && !shared.data ? html`<${Loading} />` : null}
    ${shared.data?.items.length === 0 ? html`<${Notice}>${t('journal.sharedEmpty')}<//>` : null}
    <ul class="cards">
      ${shared.data?.items.map((entry) => html`<li class="card stack" data-testid="shared-entry"><${SharedEntryCard} trainingId=${id} entry=${entry} onCommented=${() => shared.reload()} /></li>`)}
    </ul>
  </section>`;
}

function SharedEntryCard({ trainingId, entry, onCommented }: { trainingId: string; entry: SharedEntry; onCommented: () => void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  return html`<h2>${entry.title}</h2>
    <p class="muted">${entry.authorName} · ${formatDate(entry.createdAt, language())}</p>
    ${entry.prompt ? html`<p class="muted">${t('journal.prompt')}: ${entry.prompt}</p>` : null}
    <p class="prewrap" lang=${entry.language}>${entry.text}</p>
    <${Comments} comments=${entry.comments} />
    <form
      class="stack"
      onSubmit=${async (event: Event) => {
        event.preventDefault();
        setBusy(true);
        setError(undefined);
        try {
          await post('commentJournalEntry', `/api/trainings/${trainingId}/journal/${entry.entryId}/comments`, { text });
          setText('');
          onCommented();
        } catch (caught) {
          setError(caught);
        } finally {
          setBusy(false);
        }
      }}
    >
      <${Field} label=${t('journal.comment')} name="text" error=${error}>
        ${(fieldId: string, describedBy: string | undefined) => html`<textarea
          id=${fieldId}
          name="text"
          rows="3"
          required
          aria-describedby=${describedBy}
          value=${text}
          onInput=${(event: Event) => setText((event.currentTarget as HTMLTextAreaElement).value)}
        ></textarea>`}
      <//>
      <${ErrorBox} error=${error} />
      <button type="submit" disabled=${busy}>${t('journal.sendComment')}</button>
    </form>`;
}
