import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { Training } from '../../../shared/schemas/training';
// The server's own response types: the page and the API cannot drift apart unnoticed.
import type { CascadeReport, MultipliersReport, RegionReport } from '../../../shared/usecases/reports';
import { ApiError, download, get, withQuery } from '../api';
import { buildTree, horizontalBars, linePoints, type TreeNode } from '../charts';
import { formatNumber, formatPercent } from '../format';
import { language, t, type MessageKey } from '../i18n';
import { loadRegions } from '../regions';
import { hasRole } from '../session';
import { ErrorBox, Loading, Notice, SelectInput, TextInput, useApp, useAsync } from '../ui';
import { ExpiringQualifications, JournalCounts } from './dashboard-followup';
import { SurveyPanel } from './dashboard-survey';

type CascadeNode = CascadeReport['nodes'][number];

const funnelSteps = ['registrations', 'confirmed', 'completed', 'certificatesIssued'] as const;

function FunnelChart({ report }: { report: RegionReport }) {
  const barHeight = 18;
  // Room for the longest step name at 12 px ("Берілген сертификаттар"), so no label runs under its bar.
  const funnelLabelWidth = 170;
  return html`<figure class="chart">
    <figcaption>${t('dashboard.funnel')}</figcaption>
    ${report.byLevel.map(({ level, metrics }) => {
      const bars = horizontalBars(
        funnelSteps.map((step) => ({ label: t(`metric.${step}` as MessageKey), value: metrics[step] })),
        { width: 220, barHeight, gap: 6 },
      );
      const height = bars.length * (barHeight + 6);
      return html`<div class="funnel" data-level=${level}>
        <h4>${t(`level.${level}` as MessageKey)}</h4>
        <svg viewBox=${`0 0 ${funnelLabelWidth + 270} ${height}`} width="100%" role="img" aria-label=${`${t(`level.${level}` as MessageKey)}: ${bars.map((bar) => `${bar.label} ${bar.value}`).join(', ')}`}>
          ${bars.map(
            (bar) => html`<g>
              <text x="0" y=${bar.y + 13} font-size="12" fill="#1f2933">${bar.label}</text>
              <rect x=${funnelLabelWidth} y=${bar.y} width=${bar.width} height=${bar.height} fill="#1d5fa8" rx="2"></rect>
              <text x=${funnelLabelWidth + 6 + bar.width} y=${bar.y + 13} font-size="12" fill="#1f2933">${formatNumber(bar.value, language())}</text>
            </g>`,
          )}
        </svg>
      </div>`;
    })}
  </figure>`;
}

function ReachChart({ report }: { report: RegionReport }) {
  const points = linePoints(
    report.byMonth.map((month) => ({ label: month.month, value: month.metrics.teachersReached })),
    { width: 360, height: 120 },
  );
  return html`<figure class="chart">
    <figcaption>${t('dashboard.reach')}</figcaption>
    <svg viewBox="-30 -10 420 160" width="100%" role="img" aria-label=${`${t('dashboard.reach')}: ${points.map((point) => `${point.label} ${point.value}`).join(', ')}`}>
      <line x1="0" y1="120" x2="360" y2="120" stroke="#52606d"></line>
      <polyline fill="none" stroke="#1d5fa8" stroke-width="2" points=${points.map((point) => `${point.x},${point.y}`).join(' ')}></polyline>
      ${points.map(
        (point) => html`<g>
          <circle cx=${point.x} cy=${point.y} r="3" fill="#1d5fa8"></circle>
          <text x=${point.x} y="138" font-size="10" text-anchor="middle" fill="#1f2933">${point.label.slice(2)}</text>
          <text x=${point.x} y=${point.y - 6} font-size="10" text-anchor="middle" fill="#1f2933">${point.value}</text>
        </g>`,
      )}
    </svg>
  </figure>`;
}

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

function Tree({ nodes }: { nodes: TreeNode<CascadeNode>[] }) {
  return html`<ul class="tree">
    ${nodes.map(
      (node) => html`<li>
        <span>${t(`level.${node.item.level}` as MessageKey)} · ${node.item.title} · ${node.item.trainerName} · ${t('dashboard.certified', { count: node.item.certified })}</span>
        ${node.item.flagged ? html` <span class="badge badge-revoked">${t(`flag.${node.item.flagged}` as MessageKey)}</span>` : null}
        ${node.children.length > 0 ? html`<${Tree} nodes=${node.children} />` : null}
      </li>`,
    )}
  </ul>`;
}

function CascadeView({ region }: { region: string }) {
  const trainings = useAsync(() => get<{ items: Training[] }>(withQuery('/api/trainings', { region, from: '2000-01-01T00:00:00+05:00', limit: 100 })), [region]);
  const [root, setRoot] = useState('');
  const cascade = useAsync(() => (root ? get<CascadeReport>(`/api/reports/cascade/${encodeURIComponent(root)}`) : Promise.resolve(undefined)), [root]);
  return html`<section aria-labelledby="cascade-heading">
    <h2 id="cascade-heading">${t('dashboard.cascade')}</h2>
    <${SelectInput} label=${t('dashboard.rootTraining')} name="cascade-root" value=${root}
      options=${[{ value: '', label: '—' }, ...(trainings.data?.items ?? []).filter((item) => item.level < 2).map((item) => ({ value: item.id, label: item.title[language()] ?? item.title.kk ?? item.title.ru ?? item.title.en ?? item.id }))]}
      onChange=${setRoot} />
    <${ErrorBox} error=${cascade.error} />
    ${cascade.data
      ? html`<p>${t('dashboard.cascadeSummary', {
            multipliers: cascade.data.summary.multipliers,
            held: cascade.data.summary.trainingsHeld,
            reach: cascade.data.summary.reach,
            factor: cascade.data.summary.multiplicationFactor ?? '—',
          })}</p>
          <${Tree} nodes=${buildTree(cascade.data.nodes)} />`
      : null}
  </section>`;
}

export function DashboardPage() {
  const { session } = useApp();
  const regions = useAsync(loadRegions, []);
  const admin = hasRole(session, 'admins');
  const [region, setRegion] = useState(session?.region ?? 'almaty');
  const [period, setPeriod] = useState({ from: '', to: '' });
  const query = { from: period.from, to: period.to };
  const report = useAsync(() => get<RegionReport>(withQuery(`/api/reports/regions/${encodeURIComponent(region)}`, query)), [region, period.from, period.to]);
  const multipliers = useAsync(() => get<MultipliersReport>(withQuery('/api/reports/multipliers', { region })), [region]);
  const [downloadError, setDownloadError] = useState<unknown>();
  const save = (path: string, name: string) => {
    setDownloadError(undefined);
    download(path, name).catch(setDownloadError);
  };
  const totals = report.data?.totals;
  const missing = report.error instanceof ApiError && report.error.status === 404 && report.error.code === undefined;

  return html`<section>
    <h1 tabindex="-1">${t('dashboard.title')}</h1>
    <form class="filters" aria-label=${t('dashboard.filters')} onSubmit=${(event: Event) => event.preventDefault()}>
      ${admin
        ? html`<${SelectInput} label=${t('trainings.region')} name="region" value=${region}
            options=${(regions.data ?? []).map((item) => ({ value: item.id, label: item.name[language()] }))}
            onChange=${setRegion} />`
        : null}
      <${TextInput} label=${t('dashboard.from')} name="from" type="month" value=${period.from} error=${report.error} onInput=${(from: string) => setPeriod({ ...period, from })} />
      <${TextInput} label=${t('dashboard.to')} name="to" type="month" value=${period.to} error=${report.error} onInput=${(to: string) => setPeriod({ ...period, to })} />
    </form>
    ${report.loading ? html`<${Loading} />` : null}
    ${missing ? html`<${Notice}>${t('dashboard.unavailable')}<//>` : html`<${ErrorBox} error=${report.error} />`}
    ${totals
      ? html`<dl class="kpis">
            ${(['trainingsHeld', 'registrations', 'confirmed', 'completed', 'certificatesIssued', 'activeMultipliers', 'teachersReached'] as const).map(
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
          </div>
          <${TopicTable} report=${report.data!} />`
      : null}
    ${missing ? null : html`<section aria-labelledby="multipliers-heading">
      <h2 id="multipliers-heading">${t('dashboard.multipliers')}</h2>
      ${multipliers.error && !missing ? html`<${ErrorBox} error=${multipliers.error} />` : null}
      ${multipliers.data
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
    ${missing ? null : html`<${CascadeView} region=${region} />`}
    ${regions.loading ? html`<${Loading} />` : null}
  </section>`;
}
