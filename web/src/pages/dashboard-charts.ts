import { html } from 'htm/preact';
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { RegionReport, RegionsReport } from '../../../shared/usecases/reports';
import { columns, dropOffs, horizontalBars, regionTiles, shadeClasses, shadeIndex, shades } from '../charts';
import { formatNumber, formatPercent } from '../format';
import { language, t, type MessageKey } from '../i18n';
import type { Region } from '../regions';

/**
 * The dashboard's pictures. Each draws in SVG, names every mark for screen readers (a focusable
 * mark with its own label), shows the mark's figures in a readout line on hover and on keyboard
 * focus, and offers the same numbers as a table.
 */

const ink = '#1f2933';
const muted = '#52606d';
const accent = '#1d5fa8';

const num = (value: number) => formatNumber(value, language());

/** `2026-03` → "наурыз 2026" / "март 2026" / "March 2026", from the catalogue (Chromium may lack Kazakh month data). */
export function monthName(month: string, short = false): string {
  const [year, number] = month.split('-');
  return `${t(`${short ? 'monthShort' : 'month'}.${Number(number)}` as MessageKey)} ${short ? year!.slice(2) : year}`;
}

/** The figure under the pointer or the keyboard focus; `mark(text)` wires one mark to it. */
function useReadout() {
  const [text, setText] = useState<string>();
  const mark = (label: string, role: 'img' | 'button' = 'img', shown = label) => ({
    tabindex: 0,
    role,
    'aria-label': label,
    onMouseEnter: () => setText(shown),
    onFocus: () => setText(shown),
    onMouseLeave: () => setText(undefined),
    onBlur: () => setText(undefined),
  });
  // The focused mark's own label is what a screen reader says; the readout is for the eyes.
  const readout = html`<p class="readout" aria-hidden="true">${text ?? t('dashboard.readoutHint')}</p>`;
  return { mark, readout };
}

function DataTable({ head, rows }: { head: string[]; rows: (string | number)[][] }) {
  return html`<details class="chart-table">
    <summary>${t('dashboard.asTable')}</summary>
    <div class="table-wrap"><table>
      <thead><tr>${head.map((cell) => html`<th scope="col">${cell}</th>`)}</tr></thead>
      <tbody>${rows.map((row) => html`<tr>${row.map((cell, index) => (index === 0 ? html`<th scope="row">${cell}</th>` : html`<td>${typeof cell === 'number' ? num(cell) : cell}</td>`))}</tr>`)}</tbody>
    </table></div>
  </details>`;
}

function Chart({ title, id, testid, children }: { title: string; id: string; testid: string; children: ComponentChildren }) {
  return html`<figure class="chart" data-testid=${testid} aria-labelledby=${id}>
    <figcaption id=${id}>${title}</figcaption>
    ${children}
  </figure>`;
}

const funnelSteps = ['registrations', 'confirmed', 'completed', 'certificatesIssued'] as const;

/**
 * Per level, registrations → confirmed → completed → certified as bars, each with what was lost
 * since the step before; a level with no one yet says so instead of drawing four empty bars.
 */
export function FunnelChart({ report }: { report: RegionReport }) {
  const { mark, readout } = useReadout();
  const barHeight = 18;
  const gap = 18;
  // Room for the longest step name at 12 px ("Берілген сертификаттар"), so no label runs under its bar.
  const labelWidth = 170;
  const barWidth = 210;
  const levels = report.byLevel;
  return html`<${Chart} title=${t('dashboard.funnel')} id="funnel-title" testid="funnel-chart">
    ${levels.map(({ level, metrics }) => {
      const levelName = t(`level.${level}` as MessageKey);
      const values = funnelSteps.map((step) => metrics[step]);
      if (values.every((value) => value === 0)) {
        return html`<div class="funnel" data-level=${level}><h3>${levelName}</h3><p class="muted">${t('dashboard.funnelEmpty')}</p></div>`;
      }
      const bars = horizontalBars(
        funnelSteps.map((step) => ({ label: t(`metric.${step}` as MessageKey), value: metrics[step] })),
        { width: barWidth, barHeight, gap },
      );
      const lost = dropOffs(values);
      const height = bars.length * (barHeight + gap) - gap;
      return html`<div class="funnel" data-level=${level}>
        <h3>${levelName}</h3>
        <svg viewBox=${`0 0 ${labelWidth + barWidth + 60} ${height}`} width="100%" role="group" aria-label=${levelName}>
          ${bars.map((bar, index) => {
            const drop = lost[index];
            const dropText = !drop ? '' : t('dashboard.dropOff', { percent: formatPercent(drop, language()) });
            const label = `${levelName}, ${bar.label}: ${num(bar.value)}${dropText ? ` (${dropText})` : ''}`;
            return html`<g class="mark" data-step=${funnelSteps[index]} data-value=${bar.value} ...${mark(label)}>
              ${dropText ? html`<text x=${labelWidth} y=${bar.y - 4} font-size="11" fill=${muted}>↓ ${dropText}</text>` : null}
              <text x="0" y=${bar.y + 13} font-size="12" fill=${ink}>${bar.label}</text>
              <rect x=${labelWidth} y=${bar.y} width=${Math.max(bar.width, 1)} height=${bar.height} fill=${accent} rx="2"></rect>
              <text x=${labelWidth + 6 + bar.width} y=${bar.y + 13} font-size="12" fill=${ink}>${num(bar.value)}</text>
            </g>`;
          })}
        </svg>
      </div>`;
    })}
    ${readout}
    <${DataTable}
      head=${[t('dashboard.level'), ...funnelSteps.map((step) => t(`metric.${step}` as MessageKey))]}
      rows=${levels.map(({ level, metrics }) => [t(`level.${level}` as MessageKey), ...funnelSteps.map((step) => metrics[step])])} />
  <//>`;
}

/** Teachers reached per month as columns, with month names under them and a value axis. */
export function ReachChart({ report }: { report: RegionReport }) {
  const { mark, readout } = useReadout();
  const width = 420;
  const height = 150;
  const values = report.byMonth.map((month) => ({ label: month.month, value: month.metrics.teachersReached }));
  const chart = columns(values, { width, height, gap: 6 });
  const empty = values.every((value) => value.value === 0);
  return html`<${Chart} title=${t('dashboard.reach')} id="reach-title" testid="reach-chart">
    ${empty ? html`<p class="muted">${t('dashboard.reachEmpty')}</p>` : null}
    <svg viewBox=${`-34 -12 ${width + 44} ${height + 44}`} width="100%" role="group" aria-label=${t('dashboard.reach')}>
      ${chart.ticks.map(
        (tick) => html`<g aria-hidden="true">
          <line x1="0" x2=${width} y1=${height - (tick / chart.max) * height} y2=${height - (tick / chart.max) * height} stroke=${tick === 0 ? muted : '#e4e7eb'}></line>
          <text x="-6" y=${height - (tick / chart.max) * height + 4} font-size="10" text-anchor="end" fill=${ink}>${num(tick)}</text>
        </g>`,
      )}
      ${chart.columns.map((column) => {
        const label = `${monthName(column.label)}: ${num(column.value)}`;
        return html`<g class="mark" data-month=${column.label} data-value=${column.value} ...${mark(label)}>
          <rect x=${column.x} y=${column.y} width=${column.width} height=${Math.max(column.height, 0)} fill=${accent} rx="2"></rect>
          ${column.value > 0 ? html`<text x=${column.x + column.width / 2} y=${column.y - 3} font-size="10" text-anchor="middle" fill=${ink}>${num(column.value)}</text>` : null}
          <text x=${column.x + column.width / 2} y=${height + 14} font-size="10" text-anchor="middle" fill=${ink}>${t(`monthShort.${Number(column.label.slice(5))}` as MessageKey)}</text>
          <text x=${column.x + column.width / 2} y=${height + 27} font-size="9" text-anchor="middle" fill=${muted}>${column.label.slice(5) === '01' || column === chart.columns[0] ? column.label.slice(0, 4) : ''}</text>
        </g>`;
      })}
    </svg>
    ${readout}
    <${DataTable} head=${[t('dashboard.month'), t('metric.teachersReached')]} rows=${values.map((value) => [monthName(value.label), value.value])} />
  <//>`;
}

/**
 * The 20 regions as a tile grid, shaded by teachers reached (all time). A coordinator's report
 * holds their own region only; the others are drawn hatched, as not theirs to read. An admin
 * picks a region by its tile.
 */
export function RegionMap({ report, regions, selected, onSelect }: { report: RegionsReport; regions: readonly Region[]; selected: string; onSelect?: (region: string) => void }) {
  const { mark, readout } = useReadout();
  const size = 66;
  const gap = 4;
  const reach = new Map(report.items.map((item) => [item.region, item.metrics.teachersReached]));
  const names = new Map(report.items.map((item) => [item.region, item.name[language()]]));
  const classes = shadeClasses(Math.max(0, ...reach.values()));
  const tiles = Object.entries(regionTiles);
  const legendY = 5 * (size + gap) + 8;
  return html`<${Chart} title=${t('dashboard.map')} id="map-title" testid="region-map">
    <svg viewBox=${`0 0 ${6 * (size + gap)} ${legendY + 30 + (report.items.length < tiles.length ? 24 : 0)}`} width="100%" role="group" aria-label=${t('dashboard.map')}>
      <defs>
        <pattern id="no-access" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="6" height="6" fill="#f5f7fa"></rect><line x1="0" y1="0" x2="0" y2="6" stroke="#cbd2d9" stroke-width="2"></line>
        </pattern>
      </defs>
      ${tiles.map(([region, { column, row }]) => {
        const x = column * (size + gap);
        const y = row * (size + gap);
        const value = reach.get(region);
        const code = regions.find((item) => item.id === region)?.code ?? region.slice(0, 3).toUpperCase();
        if (value === undefined) {
          return html`<g data-region=${region} aria-hidden="true">
            <rect x=${x} y=${y} width=${size} height=${size} rx="4" fill="url(#no-access)" stroke="#cbd2d9"></rect>
            <text x=${x + size / 2} y=${y + size / 2 + 4} font-size="11" text-anchor="middle" fill=${muted}>${code}</text>
          </g>`;
        }
        const shade = shadeIndex(value, classes);
        const text = shade >= 3 ? '#ffffff' : ink;
        const name = names.get(region) ?? region;
        const figure = `${name}: ${t('dashboard.mapValue', { count: num(value) })}`;
        // A tile's name starts with what it shows (code and figure), as a button's must.
        const label = `${code} ${num(value)}, ${figure}`;
        const choose = onSelect ? () => onSelect(region) : undefined;
        return html`<g class="mark tile" data-region=${region} data-value=${value} ...${mark(label, onSelect ? 'button' : 'img', figure)}
            aria-pressed=${onSelect ? String(region === selected) : undefined}
            onClick=${choose}
            onKeyDown=${choose ? (event: KeyboardEvent) => (event.key === 'Enter' || event.key === ' ') && (event.preventDefault(), choose()) : undefined}>
          <rect x=${x} y=${y} width=${size} height=${size} rx="4" fill=${shades[shade]} stroke=${region === selected ? '#f5a623' : '#ffffff'} stroke-width=${region === selected ? 3 : 1}></rect>
          <text text-anchor="middle" fill=${text}>
            <tspan x=${x + size / 2} y=${y + 26} font-size="11" font-weight="600">${`${code} `}</tspan>
            <tspan x=${x + size / 2} y=${y + 46} font-size="15" font-weight="700">${num(value)}</tspan>
          </text>
        </g>`;
      })}
      <g aria-hidden="true">
        ${classes.map((range, index) => html`<g>
          <rect x=${index * 76} y=${legendY} width="16" height="16" fill=${shades[index]} stroke=${muted} stroke-width="0.5"></rect>
          <text x=${index * 76 + 20} y=${legendY + 12} font-size="11" fill=${ink}>${range.from === range.to ? num(range.from) : `${num(range.from)}–${num(range.to)}`}</text>
        </g>`)}
        ${report.items.length < tiles.length
          ? html`<g><rect x="0" y=${legendY + 24} width="16" height="16" fill="url(#no-access)" stroke=${muted} stroke-width="0.5"></rect>
              <text x="20" y=${legendY + 36} font-size="11" fill=${ink}>${t('dashboard.mapNoAccess')}</text></g>`
          : null}
      </g>
    </svg>
    <p class="muted legend-caption">${t('dashboard.mapLegend')}${onSelect ? ` ${t('dashboard.mapPick')}` : ''}</p>
    ${readout}
    <${DataTable} head=${[t('trainings.region'), t('metric.teachersReached')]} rows=${report.items.map((item) => [item.name[language()], item.metrics.teachersReached])} />
  <//>`;
}
