import { html } from 'htm/preact';
import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useState } from 'preact/hooks';
import { ApiError, fieldMessages } from './api';
import { t } from './i18n';
import type { Session } from './session';

export interface AppState {
  session: Session | undefined;
  signIn: (token: string) => void;
  signOut: () => void;
  navigate: (path: string, options?: { replace?: boolean }) => void;
  search: string;
}

export const AppContext = createContext<AppState>({
  session: undefined,
  signIn: () => undefined,
  signOut: () => undefined,
  navigate: () => undefined,
  search: '',
});

export const useApp = () => useContext(AppContext);

export interface Async<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/** Runs `load` on mount and whenever `deps` change; `reload` runs it again. */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): Async<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => live && setState({ data, error: undefined, loading: false }),
      (error: unknown) => live && setState({ data: undefined, error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, round]);
  const reload = useCallback(() => setRound((value) => value + 1), []);
  return { ...state, reload };
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return t('error.network');
}

/** The server's message, said out loud to screen readers; field messages go next to their fields. */
export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  return html`<p class="error" role="alert">${errorText(error)}</p>`;
}

export function Loading() {
  return html`<p class="muted" role="status">${t('common.loading')}</p>`;
}

export function Notice({ children }: { children: ComponentChildren }) {
  return html`<p class="notice" role="status">${children}</p>`;
}

let fieldCounter = 0;
function useFieldId(prefix: string): string {
  const [id] = useState(() => `${prefix}-${++fieldCounter}`);
  return id;
}

interface FieldProps {
  label: string;
  name: string;
  error?: unknown;
  /** The key under which the API reports this field's problems, when not `name`. */
  errorKey?: string;
  hint?: string;
  children?: (id: string, describedBy: string | undefined) => ComponentChildren;
}

/** A label, the control and, under it, what the server said about this field. */
export function Field({ label, name, error, errorKey, hint, children }: FieldProps) {
  const id = useFieldId(name);
  const messages = fieldMessages(error, errorKey ?? name);
  const errorId = messages.length > 0 ? `${id}-error` : undefined;
  const hintId = hint ? `${id}-hint` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return html`<div class=${`field${messages.length > 0 ? ' invalid' : ''}`}>
    <label for=${id}>${label}</label>
    ${hint ? html`<small id=${hintId} class="muted">${hint}</small>` : null}
    ${children?.(id, describedBy)}
    ${errorId ? html`<p class="field-error" id=${errorId}>${messages.join('; ')}</p>` : null}
  </div>`;
}

export function TextInput(props: {
  label: string;
  name: string;
  value: string;
  onInput: (value: string) => void;
  type?: string;
  error?: unknown;
  errorKey?: string;
  required?: boolean;
  hint?: string;
  autocomplete?: string;
  min?: string | number;
  max?: string | number;
  step?: string | number;
}) {
  const { label, name, value, onInput, type = 'text', error, errorKey, required, hint, autocomplete, min, max, step } = props;
  return html`<${Field} label=${label} name=${name} error=${error} errorKey=${errorKey} hint=${hint}>
    ${(id: string, describedBy: string | undefined) => html`<input
      id=${id}
      name=${name}
      type=${type}
      value=${value}
      required=${required}
      autocomplete=${autocomplete}
      min=${min}
      max=${max}
      step=${step}
      aria-describedby=${describedBy}
      aria-invalid=${fieldMessages(error, errorKey ?? name).length > 0 ? 'true' : undefined}
      onInput=${(event: Event) => onInput((event.currentTarget as HTMLInputElement).value)}
    />`}
  <//>`;
}

export function SelectInput(props: {
  label: string;
  name: string;
  value: string;
  options: readonly { value: string; label: string }[];
  onChange: (value: string) => void;
  error?: unknown;
}) {
  const { label, name, value, options, onChange, error } = props;
  return html`<${Field} label=${label} name=${name} error=${error}>
    ${(id: string, describedBy: string | undefined) => html`<select
      id=${id}
      name=${name}
      aria-describedby=${describedBy}
      onChange=${(event: Event) => onChange((event.currentTarget as HTMLSelectElement).value)}
    >
      ${options.map((option) => html`<option value=${option.value} selected=${option.value === value}>${option.label}</option>`)}
    </select>`}
  <//>`;
}

/**
 * A long operation's progress: a bar with its figures when the total is known, a moving bar
 * (no value) while it is not. The label says what is being done.
 */
export function ProgressBar({ label, value, max }: { label: string; value?: number; max?: number }) {
  const known = value !== undefined && max !== undefined && max > 0;
  return html`<div class="progress" role="status">
    <span>${label}${known ? ` ${Math.min(value, max)} / ${max}` : value !== undefined ? ` ${value}` : ''}</span>
    <progress aria-label=${label} max=${known ? max : undefined} value=${known ? Math.min(value, max) : undefined}></progress>
  </div>`;
}

export function StatusBadge({ status, label }: { status: string; label: string }) {
  return html`<span class=${`badge badge-${status}`}>${label}</span>`;
}
