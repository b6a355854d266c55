import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
// The server's own response types: the page and the API cannot drift apart unnoticed.
import type { ResponseBody } from '../../../shared/api/client';
import { ApiError, download, fieldMessages, get, withQuery, type GetPath } from '../api';
import { formatNumber, formatPercent } from '../format';
import { language, t, type MessageKey } from '../i18n';
import { loadRegions } from '../regions';
import { hasRole } from '../session';
import { ErrorBox, Loading, Notice, SelectInput, useApp, useAsync } from '../ui';
import { CascadeView } from './dashboard-cascade';
import { FunnelChart, ReachChart, RegionMap } from './dashboard-charts';
import { ExpiringQualifications, JournalCounts } from './dashboard-followup';
import { SurveyPanel } from './dashboard-survey';

/** `YYYY-MM` of an instant in Almaty (UTC+5 all year), shifted by whole months. */
function almatyMonth(now: number, shift = 0): string {
  const local = new Date(now + 5 * 3_600_000);
  const index = local.getUTCFullYear() * 12 + local.getUTCMonth() + shift;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The default period: the last twelve months, the current one included. */
export function defaultPeriod(now = Date.now()): { from: string; to: string } {
  return { from: almatyMonth(now, -11), to: almatyMonth(now) };
}

/**
 * A month as two selects (month name, year): `<input type=month>` shows `--------- ----` in
 * browsers without a month picker and in languages the browser has no names for.
 */
function MonthPicker({ legend, name, value, onChange, error }: { legend: string; name: 'from' | 'to'; value: string; onChange: (month: string) => void; error: unknown }) {
  const [year, month] = value.split('-');
  const thisYear = Number(almatyMonth(Date.now()).slice(0, 4));
  const years = Array.from({ length: 6 }, (_, index) => String(thisYear - 5 + index));
  return html`<fieldset class="month-picker" data-testid=${`period-${name}`}>
    <legend>${legend}</legend>
    <div class="row">
      <${SelectInput} label=${t('dashboard.month')} name=${`${name}-month`} value=${month ?? ''}
        options=${Array.from({ length: 12 }, (_, index) => ({ value: String(index + 1).padStart(2, '0'), label: t(`month.${index + 1}` as MessageKey) }))}
        onChange=${(next: string) => onChange(`${year}-${next}`)} />
      <${SelectInput} label=${t('dashboard.year')} name=${`${name}-year`} value=${year ?? ''}
        options=${years.map((option) => ({ value: option, label: option }))}
        onChange=${(next: string) => onChange(`${next}-${month}`)} />
    </div>
    ${fieldMessages(error, `query.${name}`).map((message) => html`<p class="field-error" role="alert">${message}</p>`)}
  </fieldset>`;
}

type RegionReport = ResponseBody<'regionReport'>;

const topicColumns = ['trainingsHeld', 'registrations', 'certificatesIssued', 'teachersReached'] as const;

/** The period's figures per topic, named in the reader's language (the vocabulary's names). */
function TopicTable({ report }: { report: RegionReport }) {
  if (report.byTopic.length === 0) return null;
  return html`<section aria-labelledby="topics-heading">
    <h2 id="topics-heading">${t('dashboard.byTopic')}</h2>
    <div class="table-wrap"><table>
      <thead><tr><th scope="col">${t('form.topic')}</th>${topicColumns.map((key) => html`<th scope="col">${t(`metric.${key}` as MessageKey)}</th>`)}</tr></thead>
      <tbody>${report.byTopic.map(
        (row) => html`<tr data-topic=${row.topic}><td>${row.name[language()]}</td>${topicColumns.map((key) => html`<td>${formatNumber(row.metrics[key], language())}</td>`)}</tr>`,
      )}</tbody>
    </table></div>
  </section>`;
}

const kpiKeys = ['trainingsHeld', 'registrations', 'confirmed', 'completed', 'certificatesIssued', 'activeMultipliers', 'teachersReached'] as const;

export function DashboardPage() {
  const { session } = useApp();
  const regions = useAsync(loadRegions, []);
  const admin = hasRole(session, 'admins');
  const [region, setRegion] = useState(session?.region ?? 'almaty');
  const [period, setPeriod] = useState(defaultPeriod);
  const query = { from: period.from, to: period.to };
  const report = useAsync(() => get('regionReport', withQuery(`/api/reports/regions/${encodeURIComponent(region)}`, query)), [region, period.from, period.to]);
  const map = useAsync(() => get('regionsReport', '/api/reports/regions'), []);
  const multipliers = useAsync(() => get('multipliersReport', withQuery('/api/reports/multipliers', { region })), [region]);
  const [downloadError, setDownloadError] = useState<unknown>();
  const save = (path: GetPath, name: string) => {
    setDownloadError(undefined);
    download(path, name).catch(setDownloadError);
  };
  const totals = report.data?.totals;
  const missing = report.error instanceof ApiError && report.error.status === 404 && report.error.code === undefined;
  const quiet = totals !== undefined && totals.registrations === 0 && totals.trainingsHeld === 0 && totals.teachersReached === 0;

  return html`<section>
    <h1 tabindex="-1">${t('dashboard.title')}</h1>
    <form class="filters" aria-label=${t('dashboard.filters')} onSubmit=${(event: Event) => event.preventDefault()}>
      ${admin
        ? html`<${SelectInput} label=${t('trainings.region')} name="region" value=${region}
            options=${(regions.data ?? []).map((item) => ({ value: item.id, label: item.name[language()] }))}
            onChange=${setRegion} />`
        : null}
      <${MonthPicker} legend=${t('dashboard.from')} name="from" value=${period.from} error=${report.error} onChange=${(from: string) => setPeriod({ ...period, from })} />
      <${MonthPicker} legend=${t('dashboard.to')} name="to" value=${period.to} error=${report.error} onChange=${(to: string) => setPeriod({ ...period, to })} />
    </form>
    ${report.loading ? html`<${Loading} />` : null}
    ${missing ? html`<${Notice}>${t('dashboard.unavailable')}<//>` : html`<${ErrorBox} error=${report.error} />`}
    ${quiet ? html`<${Notice}>${t('dashboard.emptyPeriod')}<//>` : null}
    ${totals
      ? html`<dl class="kpis">
            ${kpiKeys.map(
              (key) => html`<div data-metric=${key}><dt>${t(`metric.${key}` as MessageKey)}</dt><dd>${formatNumber(totals[key], language())}</dd></div>`,
            )}
            <div data-metric="meanRating"><dt>${t('metric.meanRating')}</dt><dd>${totals.meanRating === null ? '—' : formatNumber(totals.meanRating, language(), 2)}</dd></div>
            <div data-metric="feedbackResponseRate"><dt>${t('metric.feedbackResponseRate')}</dt><dd>${formatPercent(totals.feedbackResponseRate, language())}</dd></div>
          </dl>
          <p class="actions">
            <button type="button" class="secondary" onClick=${() => save(withQuery(`/api/reports/regions/${region}`, { ...query, format: 'csv' }), `report-${region}.csv`)}>${t('dashboard.downloadCsv')}</button>
            <button type="button" class="secondary" onClick=${() => save(withQuery(`/api/reports/regions/${region}`, { ...query, format: 'xlsx' }), `report-${region}.xlsx`)}>${t('dashboard.downloadXlsx')}</button>
          </p>
          <${ErrorBox} error=${downloadError} />
          <div class="charts">
            <${FunnelChart} report=${report.data!} />
            <${ReachChart} report=${report.data!} />
          </div>`
      : null}
    ${map.data ? html`<div class="charts map"><${RegionMap} report=${map.data} regions=${regions.data ?? []} selected=${region} onSelect=${admin ? setRegion : undefined} /></div>` : null}
    ${map.error && !missing ? html`<${ErrorBox} error=${map.error} />` : null}
    ${totals ? html`<${TopicTable} report=${report.data!} />` : null}
    ${missing ? null : html`<section aria-labelledby="multipliers-heading">
      <h2 id="multipliers-heading">${t('dashboard.multipliers')}</h2>
      ${multipliers.error && !missing ? html`<${ErrorBox} error=${multipliers.error} />` : null}
      ${multipliers.data && multipliers.data.items.length === 0 ? html`<p class="muted">${t('dashboard.multipliersNone')}</p>` : null}
      ${multipliers.data && multipliers.data.items.length > 0
        ? html`<div class="table-wrap"><table>
              <thead><tr><th scope="col">${t('registration.fullName')}</th><th scope="col">${t('verify.number')}</th><th scope="col">${t('metric.trainingsHeld')}</th><th scope="col">${t('metric.teachersReached')}</th></tr></thead>
              <tbody>${multipliers.data.items.map((item) => html`<tr><td>${item.name}</td><td>${item.certificateNumber}</td><td>${item.trainingsHeld}</td><td>${item.reach}</td></tr>`)}</tbody>
            </table></div>
            <p class="actions">
              <button type="button" class="secondary" onClick=${() => save(withQuery('/api/reports/multipliers', { region, format: 'csv' }), `multipliers-${region}.csv`)}>${t('dashboard.downloadCsv')}</button>
              <button type="button" class="secondary" onClick=${() => save(withQuery('/api/reports/multipliers', { region, format: 'xlsx' }), `multipliers-${region}.xlsx`)}>${t('dashboard.downloadXlsx')}</button>
            </p>`
        : null}
    </section>`}
    ${missing ? null : html`<${ExpiringQualifications} region=${region} save=${save} />`}
    ${missing ? null : html`<${JournalCounts} region=${region} from=${period.from} to=${period.to} />`}
    ${missing ? null : html`<${SurveyPanel} region=${region} from=${period.from} to=${period.to} save=${save} />`}
    ${missing ? null : html`<${CascadeView} regions=${regions.data} />`}
    ${regions.loading ? html`<${Loading} />` : null}
  </section>`;
}
