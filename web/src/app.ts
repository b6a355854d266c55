import { html } from 'htm/preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { configureApi } from './api';
import { appConfig } from './config';
import { language, languages, setLanguage, t, type Language } from './i18n';
import { matchRoute, pathTo } from './router';
import { clearSession, hasRole, loadSession, saveSession, type Session } from './session';
import { AppContext, type AppState } from './ui';
import { AuthCallbackPage, HomePage, NotFoundPage, SignInPage, TrainingPage, TrainingsPage, VerifyPage } from './pages/public';
import { CheckInPage, FeedbackPage, MyCertificatesPage, MyTrainingsPage } from './pages/teacher';
import { CheckInScreenPage, ManagePage, ManageTrainingPage, TrainingFormPage } from './pages/trainer';
import { DashboardPage } from './pages/dashboard';
import { JournalEntryPage, JournalPage, TrainerJournalPage } from './pages/journal';
import { SurveyPage } from './pages/survey';

const labels: Record<Language, string> = { kk: 'Қазақша', ru: 'Русский', en: 'English' };

function LanguageSwitch({ onChange }: { onChange: (language: Language) => void }) {
  return html`<div class="language-switch" role="group" aria-label=${t('nav.language')}>
    ${languages.map(
      (code) => html`<button
        type="button"
        data-lang=${code}
        lang=${code}
        aria-pressed=${code === language() ? 'true' : 'false'}
        onClick=${() => onChange(code)}
      >
        ${labels[code]}
      </button>`,
    )}
  </div>`;
}

function Navigation({ session }: { session: Session | undefined }) {
  const links: { href: string; label: string }[] = [{ href: pathTo('trainings'), label: t('nav.trainings') }];
  if (hasRole(session, 'teachers')) {
    links.push(
      { href: pathTo('myTrainings'), label: t('nav.myTrainings') },
      { href: pathTo('checkIn'), label: t('nav.checkIn') },
      { href: pathTo('myCertificates'), label: t('nav.myCertificates') },
      { href: pathTo('journal'), label: t('nav.journal') },
    );
  }
  // Every multiplier holds the certificate that let them train: theirs to download, as a teacher's.
  else if (session) links.push({ href: pathTo('myCertificates'), label: t('nav.myCertificates') });
  if (hasRole(session, 'trainers', 'admins')) links.push({ href: pathTo('manage'), label: t('nav.manage') });
  if (hasRole(session, 'coordinators', 'admins')) links.push({ href: pathTo('dashboard'), label: t('nav.dashboard') });
  const current = location.pathname;
  return html`<nav aria-label=${t('nav.main')}>
    <ul>
      ${links.map(
        (link) =>
          html`<li><a href=${link.href} aria-current=${current === link.href || current.startsWith(`${link.href}/`) ? 'page' : undefined}>${link.label}</a></li>`,
      )}
    </ul>
  </nav>`;
}

function Page({ path, params }: { path: string; params: Record<string, string> }) {
  const route = matchRoute(path);
  const p = { ...route.params, ...params };
  switch (route.name) {
    case 'home':
      return html`<${HomePage} />`;
    case 'signIn':
      return html`<${SignInPage} />`;
    case 'authCallback':
      return html`<${AuthCallbackPage} />`;
    case 'trainings':
      return html`<${TrainingsPage} />`;
    case 'training':
      return html`<${TrainingPage} id=${p.id} />`;
    case 'feedback':
      return html`<${FeedbackPage} id=${p.id} />`;
    case 'myTrainings':
      return html`<${MyTrainingsPage} />`;
    case 'checkIn':
      return html`<${CheckInPage} />`;
    case 'myCertificates':
      return html`<${MyCertificatesPage} />`;
    case 'journal':
      return html`<${JournalPage} />`;
    case 'journalNew':
      return html`<${JournalEntryPage} />`;
    case 'journalEntry':
      return html`<${JournalEntryPage} entryId=${p.entryId} />`;
    case 'trainerJournal':
      return html`<${TrainerJournalPage} id=${p.id} />`;
    case 'manage':
      return html`<${ManagePage} />`;
    case 'newTraining':
      return html`<${TrainingFormPage} />`;
    case 'editTraining':
      return html`<${TrainingFormPage} id=${p.id} />`;
    case 'manageTraining':
      return html`<${ManageTrainingPage} id=${p.id} />`;
    case 'checkInScreen':
      return html`<${CheckInScreenPage} id=${p.id} sessionId=${p.sessionId} />`;
    case 'survey':
      return html`<${SurveyPage} surveyId=${p.surveyId} />`;
    case 'dashboard':
      return html`<${DashboardPage} />`;
    case 'verify':
      return html`<${VerifyPage} code=${p.code} />`;
    default:
      return html`<${NotFoundPage} />`;
  }
}

export function App() {
  const [session, setSession] = useState<Session | undefined>(() => loadSession());
  const [location_, setLocation] = useState({ path: location.pathname, search: location.search });
  const [lang, setLang] = useState<Language>(language());

  useEffect(() => {
    const onPop = () => setLocation({ path: location.pathname, search: location.search });
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const state = useMemo<AppState>(() => {
    const navigate = (target: string, options: { replace?: boolean } = {}) => {
      const url = new URL(target, location.origin);
      if (options.replace) history.replaceState(null, '', url);
      else history.pushState(null, '', url);
      setLocation({ path: url.pathname, search: url.search });
      window.scrollTo(0, 0);
    };
    return {
      session,
      search: location_.search,
      navigate,
      signIn: (token) => setSession(saveSession(token)),
      signOut: () => {
        clearSession();
        setSession(undefined);
        navigate('/');
      },
    };
  }, [session, location_]);

  // Set during render, not in an effect: pages fetch in their own effects, which run first.
  configureApi({
    token: () => session?.token,
    unauthorized: () => {
      clearSession();
      setSession(undefined);
    },
  });

  // Same-origin links move within the app; files and new tabs are left to the browser.
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = (event.target as Element).closest('a');
      if (!link || link.target || link.hasAttribute('download')) return;
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
      event.preventDefault();
      state.navigate(url.pathname + url.search);
    };
    document.addEventListener('click', onClick);
    return () => document.removeEventListener('click', onClick);
  }, [state]);

  useEffect(() => {
    // A new page: move focus to its heading so screen readers announce it.
    document.querySelector<HTMLElement>('main h1')?.focus({ preventScroll: true });
  }, [location_.path]);

  const changeLanguage = (next: Language) => {
    setLanguage(next);
    setLang(next);
    const url = new URL(location.href);
    url.searchParams.set('lang', next);
    history.replaceState(null, '', url);
  };

  const fullScreen = matchRoute(location_.path).name === 'checkInScreen';
  return html`<${AppContext.Provider} value=${state}>
    <div class=${fullScreen ? 'app full-screen' : 'app'} key=${lang}>
      <a class="skip-link" href="#main">${t('nav.skip')}</a>
      <header class="site-header">
        <a class="brand" href="/">${t('app.name')}</a>
        <${LanguageSwitch} onChange=${changeLanguage} />
        <div class="account">
          ${session
            ? html`<span class="who">${session.name}</span>
                <button type="button" class="link-button" onClick=${() => state.signOut()}>${t('nav.signOut')}</button>`
            : html`<a href=${pathTo('signIn')}>${t('nav.signIn')}</a>`}
        </div>
        <${Navigation} session=${session} />
      </header>
      <main id="main" tabindex="-1">
        <${Page} path=${location_.path} params=${{}} />
      </main>
      <footer class="site-footer"><p>${t('app.footer')}${appConfig().auth.kind === 'local' ? ` · ${t('app.localMode')}` : ''}</p></footer>
    </div>
  <//>`;
}
