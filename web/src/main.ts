import { html } from 'htm/preact';
import { render } from 'preact';
import { App } from './app';
import { loadConfig } from './config';
import { pickLanguage, setLanguage } from './i18n';

function remembered(): string | null {
  try {
    return localStorage.getItem('lang');
  } catch {
    return null;
  }
}

setLanguage(pickLanguage(location.search, remembered(), navigator.languages ?? [navigator.language]));
await loadConfig().catch(() => undefined);
render(html`<${App} />`, document.getElementById('app')!);
