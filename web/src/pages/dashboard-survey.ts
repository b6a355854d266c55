import { html } from 'htm/preact';
import type { SurveyMetrics } from '../../../shared/domain/survey-aggregates';
import { get, withQuery } from '../api';
import { formatNumber, formatPercent } from '../format';
import { language, localized, t } from '../i18n';
import { ErrorBox, useAsync } from '../ui';

function SurveyRow({ label, metrics }: { label: string; metrics: SurveyMetrics }) {
  const lang = language();
  return html`<tr>
    <th scope="row">${label}</th>
    <td>${formatNumber(metrics.invited, lang)}</td>
    <td>${formatNumber(metrics.responses, lang)} (${formatPercent(metrics.responseRate, lang)})</td>
    <td>${metrics.applicationRate === null && metrics.responses > 0 ? t('dashboard.surveyWithheld') : formatPercent(metrics.applicationRate, lang)}</td>
    <td>${formatNumber(metrics.colleaguesReached, lang)}</td>
    <td>${formatNumber(metrics.candidates, lang)}</td>
  </tr>`;
}

/**
 * The follow-up impact survey on the regional dashboard: released waves only (response rate,
 * application rate, colleagues reached, candidates) per level and topic, and the named candidates
 * for the next level.
 */
export function SurveyPanel({ region, from, to, save }: { region: string; from: string; to: string; save: (path: string, name: string) => void }) {
  const report = useAsync(() => get('surveyReport', withQuery('/api/reports/survey', { region, from, to })), [region, from, to]);
  const candidates = useAsync(() => get('surveyCandidates', withQuery('/api/reports/survey-candidates', { region })), [region]);
  const heading = html`<thead><tr>
    <th scope="col"></th><th scope="col">${t('dashboard.surveyInvited')}</th><th scope="col">${t('dashboard.surveyResponses')}</th>
    <th scope="col">${t('dashboard.surveyApplied')}</th><th scope="col">${t('dashboard.surveyColleagues')}</th><th scope="col">${t('dashboard.surveyCandidates')}</th>
  </tr></thead>`;
  return html`<section aria-labelledby="survey-heading" data-testid="survey-panel">
    <h2 id="survey-heading">${t('dashboard.survey')}</h2>
    <p class="muted">${t('dashboard.surveyNote', { minimum: report.data?.minimumResponses ?? 5 })}</p>
    <${ErrorBox} error=${report.error} />
    ${report.data
      ? html`<div class="table-wrap"><table>
            ${heading}
            <tbody>
              <${SurveyRow} label=${t('dashboard.surveyTotal')} metrics=${report.data.totals} />
              ${report.data.byLevel.map((row) => html`<${SurveyRow} label=${t('dashboard.surveyLevel', { level: row.level })} metrics=${row.metrics} />`)}
              ${report.data.byTopic.map((row) => html`<${SurveyRow} label=${localized(row.name)} metrics=${row.metrics} />`)}
            </tbody>
          </table></div>
          <p class="actions">
            <button type="button" class="secondary" onClick=${() => save(withQuery('/api/reports/survey', { region, from, to, format: 'csv' }), `survey-${region}.csv`)}>${t('dashboard.downloadCsv')}</button>
            <button type="button" class="secondary" onClick=${() => save(withQuery('/api/reports/survey', { region, from, to, format: 'xlsx' }), `survey-${region}.xlsx`)}>${t('dashboard.downloadXlsx')}</button>
          </p>`
      : null}
    <h3>${t('dashboard.surveyCandidatesList')}</h3>
    <${ErrorBox} error=${candidates.error} />
    ${candidates.data && candidates.data.items.length === 0 ? html`<p>${t('dashboard.surveyCandidatesNone')}</p>` : null}
    ${candidates.data && candidates.data.items.length > 0
      ? html`<div class="table-wrap"><table data-testid="survey-candidates">
          <thead><tr><th scope="col">${t('registration.fullName')}</th><th scope="col">${t('verify.number')}</th><th scope="col">${t('dashboard.surveyNextLevel')}</th></tr></thead>
          <tbody>${candidates.data.items.map((item) => html`<tr><td>${item.fullName} · ${item.email}</td><td>${item.certificateNumber}</td><td>${item.nextLevel}</td></tr>`)}</tbody>
        </table></div>`
      : null}
  </section>`;
}
