import { html } from 'htm/preact';
import { get, withQuery } from '../api';
import { formatDate, formatNumber, formatPercent } from '../format';
import { language, t } from '../i18n';
import { ErrorBox, useAsync } from '../ui';

/** Multipliers whose qualifying certificate expires within 180 days, soonest first. */
export function ExpiringQualifications({ region, save }: { region: string; save: (path: string, name: string) => void }) {
  const report = useAsync(() => get('expiringQualificationsReport', withQuery('/api/reports/expiring-qualifications', { region })), [region]);
  return html`<section aria-labelledby="expiring-heading">
    <h2 id="expiring-heading">${t('dashboard.expiring')}</h2>
    <${ErrorBox} error=${report.error} />
    ${report.data && report.data.items.length === 0 ? html`<p>${t('dashboard.expiringNone')}</p>` : null}
    ${report.data && report.data.items.length > 0
      ? html`<div class="table-wrap"><table data-testid="expiring-qualifications">
            <thead><tr><th scope="col">${t('registration.fullName')}</th><th scope="col">${t('verify.number')}</th><th scope="col">${t('dashboard.expiringLevel')}</th><th scope="col">${t('dashboard.expiringUntil')}</th></tr></thead>
            <tbody>${report.data.items.map(
              (item) => html`<tr><td>${item.holderName}</td><td>${item.number}</td><td>${item.qualifiesForLevel}</td><td>${formatDate(item.validUntil, language())} (${t('dashboard.expiringDays', { days: item.daysLeft })})</td></tr>`,
            )}</tbody>
          </table></div>
          <p class="actions">
            <button type="button" class="secondary" onClick=${() => save(withQuery('/api/reports/expiring-qualifications', { region, format: 'csv' }), `expiring-${region}.csv`)}>${t('dashboard.downloadCsv')}</button>
          </p>`
      : null}
  </section>`;
}

/** Journal counts only: how many write, never what. */
export function JournalCounts({ region, from, to }: { region: string; from: string; to: string }) {
  const report = useAsync(() => get('journalReport', withQuery(`/api/reports/regions/${encodeURIComponent(region)}/journal`, { from, to })), [region, from, to]);
  const entries = report.data?.entriesByMonth.reduce((sum, month) => sum + month.entries, 0) ?? 0;
  return html`<section aria-labelledby="journal-counts-heading">
    <h2 id="journal-counts-heading">${t('dashboard.journal')}</h2>
    <${ErrorBox} error=${report.error} />
    ${report.data
      ? html`<dl class="kpis">
          <div data-metric="journalEntries"><dt>${t('dashboard.journalEntries')}</dt><dd>${formatNumber(entries, language())}</dd></div>
          <div data-metric="journalKeepers"><dt>${t('dashboard.journalKeepers')}</dt><dd>${formatNumber(report.data.keepers, language())}</dd></div>
          <div data-metric="journalShare"><dt>${t('dashboard.journalShare')}</dt><dd>${formatPercent(report.data.keepingShare, language())}</dd></div>
        </dl>`
      : null}
  </section>`;
}
