// The server's own response type, so the page and the API cannot drift apart unnoticed.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { PublicTraining as Training } from '../../../shared/domain/training';
import { demoAccounts } from '../../../local/demo-accounts';
import { ApiError, get, localJson, withQuery } from '../api';
import { appConfig } from '../config';
import { finishHostedSignIn, startHostedSignIn } from '../cognito';
import { almatyDayEnd, almatyDayStart, formatDate, formatDateTime } from '../format';
import { language, localized, t, type MessageKey } from '../i18n';
import { loadRegions, regionName, type Region } from '../regions';
import { pathTo } from '../router';
import { hasRole } from '../session';
import { ErrorBox, Loading, Notice, SelectInput, TextInput, useApp, useAsync } from '../ui';
import { RegistrationPanel, SessionList } from './teacher';

export function HomePage() {
  const { session, navigate } = useApp();
  useEffect(() => {
    if (hasRole(session, 'coordinators')) navigate(pathTo('dashboard'), { replace: true });
    else if (hasRole(session, 'trainers', 'admins')) navigate(pathTo('manage'), { replace: true });
    else if (hasRole(session, 'teachers')) navigate(pathTo('myTrainings'), { replace: true });
  }, [session]);
  return html`<section>
    <h1 tabindex="-1">${t('home.title')}</h1>
    <p class="lead">${t('home.lead')}</p>
    <p class="actions">
      <a class="button" href=${pathTo('trainings')}>${t('home.find')}</a>
      ${session ? null : html`<a class="button secondary" href=${pathTo('signIn')}>${t('nav.signIn')}</a>`}
    </p>
  </section>`;
}

export function NotFoundPage() {
  return html`<section><h1 tabindex="-1">${t('notFound.title')}</h1><p><a href="/">${t('notFound.home')}</a></p></section>`;
}

function returnTarget(search: string): string {
  const target = new URLSearchParams(search).get('next');
  return target?.startsWith('/') && !target.startsWith('//') ? target : '/';
}

export function SignInPage() {
  const { signIn, navigate, search } = useApp();
  const config = appConfig();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [form, setForm] = useState({ name: '', email: '', region: 'almaty' });
  const regions = useAsync(loadRegions, []);
  const next = returnTarget(search);

  if (config.auth.kind === 'cognito') {
    const auth = config.auth;
    return html`<section>
      <h1 tabindex="-1">${t('signIn.title')}</h1>
      <p>${t('signIn.cognito')}</p>
      <button type="button" onClick=${() => void startHostedSignIn(auth, next)}>${t('signIn.continue')}</button>
    </section>`;
  }

  const tokenFor = async (identity: { email: string; name: string; groups: string[]; region?: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      const { token } = await localJson<{ token: string }>('/api/local/token', identity);
      signIn(token);
      navigate(next, { replace: true });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return html`<section>
    <h1 tabindex="-1">${t('signIn.title')}</h1>
    <p>${t('signIn.localIntro')}</p>
    <h2>${t('signIn.demoAccounts')}</h2>
    <ul class="account-list">
      ${Object.values(demoAccounts).map(
        (account) => html`<li>
          <button
            type="button"
            class="secondary"
            data-email=${account.email}
            disabled=${busy}
            onClick=${() => void tokenFor({ email: account.email, name: account.name, groups: [...account.groups], ...('region' in account ? { region: account.region } : {}) })}
          >
            ${account.name}
          </button>
          <span class="muted">${account.email} · ${account.groups.map((group) => t(`role.${group}` as MessageKey)).join(', ')}</span>
        </li>`,
      )}
    </ul>
    <h2>${t('signIn.signUp')}</h2>
    <form
      class="stack"
      onSubmit=${(event: Event) => {
        event.preventDefault();
        void tokenFor({ email: form.email, name: form.name, groups: ['teachers'], region: form.region });
      }}
    >
      <${TextInput} label=${t('signIn.name')} name="name" value=${form.name} required autocomplete="name" error=${error} onInput=${(name: string) => setForm({ ...form, name })} />
      <${TextInput} label=${t('signIn.email')} name="email" type="email" value=${form.email} required autocomplete="email" error=${error} onInput=${(email: string) => setForm({ ...form, email })} />
      <${SelectInput}
        label=${t('signIn.region')}
        name="region"
        value=${form.region}
        error=${error}
        options=${(regions.data ?? []).map((region) => ({ value: region.id, label: region.name[language()] }))}
        onChange=${(region: string) => setForm({ ...form, region })}
      />
      <${ErrorBox} error=${error} />
      <button type="submit" disabled=${busy}>${t('signIn.signUpButton')}</button>
    </form>
  </section>`;
}

export function AuthCallbackPage() {
  const { signIn, navigate, search } = useApp();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    const config = appConfig();
    if (config.auth.kind !== 'cognito') return navigate('/', { replace: true });
    finishHostedSignIn(config.auth, search).then(
      ({ idToken, returnTo }) => {
        signIn(idToken);
        navigate(returnTo, { replace: true });
      },
      (caught: unknown) => setError(caught),
    );
  }, []);
  return html`<section>
    <h1 tabindex="-1">${t('signIn.title')}</h1>
    ${error ? html`<p class="error" role="alert">${t('signIn.failed')} <a href=${pathTo('signIn')}>${t('signIn.again')}</a></p>` : html`<${Loading} />`}
  </section>`;
}

export function TrainingCard({ training, regions }: { training: Training; regions: Region[] | undefined }) {
  const first = training.sessions[0];
  const last = training.sessions[training.sessions.length - 1];
  return html`<li class="card">
    <h3><a href=${pathTo('training', { id: training.id })}>${localized(training.title)}</a></h3>
    <p class="muted">
      ${first ? formatDate(first.startsAt, language()) : ''}${last && last !== first ? ` – ${formatDate(last.endsAt, language())}` : ''} ·
      ${regionName(regions, training.region, language())} · ${t(`language.${training.language}` as MessageKey)} ·
      ${t('training.level', { level: training.level })} · ${t('training.hours', { hours: training.hours })}
    </p>
  </li>`;
}

export function TrainingsPage() {
  const [filters, setFilters] = useState({ region: '', language: '', from: '', to: '' });
  const regions = useAsync(loadRegions, []);
  const list = useAsync(
    () =>
      get(
        'listTrainings',
        withQuery('/api/trainings', {
          region: filters.region,
          language: filters.language,
          from: filters.from ? almatyDayStart(filters.from) : undefined,
          to: filters.to ? almatyDayEnd(filters.to) : undefined,
          limit: 50,
        }),
      ),
    [filters.region, filters.language, filters.from, filters.to],
  );
  return html`<section>
    <h1 tabindex="-1">${t('trainings.title')}</h1>
    <form class="filters" role="search" aria-label=${t('trainings.filters')} onSubmit=${(event: Event) => event.preventDefault()}>
      <${SelectInput}
        label=${t('trainings.region')}
        name="region"
        value=${filters.region}
        options=${[{ value: '', label: t('trainings.anyRegion') }, ...(regions.data ?? []).map((region) => ({ value: region.id, label: region.name[language()] }))]}
        onChange=${(region: string) => setFilters({ ...filters, region })}
      />
      <${SelectInput}
        label=${t('trainings.language')}
        name="language"
        value=${filters.language}
        options=${[
          { value: '', label: t('trainings.anyLanguage') },
          { value: 'kk', label: t('language.kk') },
          { value: 'ru', label: t('language.ru') },
          { value: 'en', label: t('language.en') },
        ]}
        onChange=${(value: string) => setFilters({ ...filters, language: value })}
      />
      <${TextInput} label=${t('trainings.from')} name="from" type="date" value=${filters.from} error=${list.error} onInput=${(from: string) => setFilters({ ...filters, from })} />
      <${TextInput} label=${t('trainings.to')} name="to" type="date" value=${filters.to} error=${list.error} onInput=${(to: string) => setFilters({ ...filters, to })} />
    </form>
    ${list.loading ? html`<${Loading} />` : null}
    <${ErrorBox} error=${list.error} />
    ${list.data && list.data.items.length === 0 ? html`<${Notice}>${t('trainings.none')}<//>` : null}
    <ul class="cards">
      ${list.data?.items.map((training) => html`<${TrainingCard} training=${training} regions=${regions.data} />`)}
    </ul>
  </section>`;
}

export function TrainingPage({ id }: { id: string }) {
  const training = useAsync(() => get('getTraining', `/api/trainings/${encodeURIComponent(id)}`), [id]);
  const regions = useAsync(loadRegions, []);
  if (training.loading) return html`<${Loading} />`;
  if (!training.data) return html`<section><h1 tabindex="-1">${t('training.title')}</h1><${ErrorBox} error=${training.error} /></section>`;
  const item = training.data;
  return html`<section>
    <h1 tabindex="-1">${localized(item.title)}</h1>
    <dl class="facts">
      <dt>${t('trainings.region')}</dt><dd>${regionName(regions.data, item.region, language())}</dd>
      <dt>${t('trainings.language')}</dt><dd>${t(`language.${item.language}` as MessageKey)}</dd>
      <dt>${t('training.levelLabel')}</dt><dd>${t(`level.${item.level}` as MessageKey)}</dd>
      <dt>${t('training.hoursLabel')}</dt><dd>${item.hours}${item.ects ? ` (${item.ects} ECTS)` : ''}</dd>
      <dt>${t('training.trainer')}</dt><dd>${item.trainer.name}</dd>
      <dt>${t('training.status')}</dt><dd>${t(`status.${item.status}` as MessageKey)}</dd>
    </dl>
    ${item.description ? html`<p>${item.description}</p>` : null}
    <h2>${t('training.sessions')}</h2>
    <${SessionList} training=${item} />
    <${RegistrationPanel} training=${item} />
  </section>`;
}


export function VerifyPage({ code }: { code: string }) {
  const result = useAsync(() => get('verifyCertificate', `/api/verify/${encodeURIComponent(code)}`), [code]);
  const data = result.data;
  return html`<section>
    <h1 tabindex="-1">${t('verify.title')}</h1>
    ${result.loading ? html`<${Loading} />` : null}
    ${result.error instanceof ApiError && result.error.status === 404
      ? html`<div class="verdict verdict-unknown" role="status"><p class="verdict-word">${t('verify.unknown')}</p><p>${result.error.message}</p></div>`
      : html`<${ErrorBox} error=${result.error} />`}
    ${data
      ? html`<div class=${`verdict verdict-${data.status}`} role="status" data-status=${data.status}>
            <p class="verdict-word"><span aria-hidden="true">${data.status === 'valid' ? '✓' : '✕'}</span> ${t(`verify.${data.status}` as MessageKey)}</p>
            <p>${t(`verify.${data.status}Explained` as MessageKey)}</p>
          </div>
          <dl class="facts">
            <dt>${t('verify.holder')}</dt><dd>${data.holderName}</dd>
            <dt>${t('verify.training')}</dt><dd>${data.trainingTitle}</dd>
            <dt>${t('verify.number')}</dt><dd>${data.number}</dd>
            <dt>${t('training.hoursLabel')}</dt><dd>${data.hours}${data.ects ? ` (${data.ects} ECTS)` : ''}</dd>
            <dt>${t('verify.issuedAt')}</dt><dd>${formatDate(data.issuedAt, language())}</dd>
            <dt>${t('verify.validUntil')}</dt><dd>${formatDate(data.validUntil, language())}</dd>
            <dt>${t('verify.issuer')}</dt><dd>${data.issuer}</dd>
            ${data.trainerCertificateNumber ? html`<dt>${t('verify.trainerCertificate')}</dt><dd>${data.trainerCertificateNumber}</dd>` : null}
            ${data.revocation
              ? html`<dt>${t('verify.revokedAt')}</dt><dd>${formatDateTime(data.revocation.revokedAt, language())} — ${data.revocation.reason}</dd>`
              : null}
          </dl>`
      : null}
  </section>`;
}
