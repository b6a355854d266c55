/**
 * The reports as spreadsheets: one table per report (CSV: the main table; XLSX: every table on
 * its own sheet). Region names are given in Kazakh and Russian; titles and names as stored.
 */
import { findRegion } from '../config/regions';
import type { HttpResponse } from '../http/route';
import { feedbackMinimumResponses } from '../domain/feedback';
import type { Metrics } from '../domain/reports';
import type { CascadeReport, MultipliersReport, RegionReport, RegionsReport } from '../usecases/reports';
import type { ExpiringQualificationsReport } from '../usecases/renewal';
import type { SurveyMetrics } from '../domain/survey-aggregates';
import type { SurveyCandidatesReport, SurveyReport } from '../usecases/survey';
import { CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE } from './content-types';
import type { Cell, Sheet } from './spreadsheet';

const metricColumns: readonly (keyof Metrics)[] = [
  'trainingsScheduled',
  'trainingsHeld',
  'trainingsCancelled',
  'registrations',
  'confirmed',
  'completed',
  'certificatesIssued',
  'certificatesRevoked',
  'activeMultipliers',
  'teachersReached',
  'feedbackResponses',
  'meanRating',
  'feedbackResponseRate',
];

function metricCells(metrics: Metrics): Cell[] {
  return metricColumns.map((column) => {
    // A cell with too few ratings behind it says so instead of printing someone's own rating.
    if (column === 'meanRating' && metrics.meanRatingWithheld) return `< ${feedbackMinimumResponses} responses`;
    const value = metrics[column];
    return typeof value === 'boolean' ? String(value) : value;
  });
}

function regionNames(region: string): Cell[] {
  const found = findRegion(region);
  return [found?.name.kk ?? region, found?.name.ru ?? region];
}

export function regionsSheets(report: RegionsReport): Sheet[] {
  return [
    {
      name: 'Regions',
      rows: [
        ['region', 'name (kk)', 'name (ru)', ...metricColumns],
        ...report.items.map((item) => [item.region, ...regionNames(item.region), ...metricCells(item.metrics)]),
      ],
      boldRows: [0],
    },
  ];
}

export function regionSheets(report: RegionReport): Sheet[] {
  const names = regionNames(report.region);
  return [
    {
      name: 'By month',
      rows: [
        ['region', 'name (kk)', 'name (ru)', 'month', ...metricColumns],
        ...report.byMonth.map((row) => [report.region, ...names, row.month, ...metricCells(row.metrics)]),
        [report.region, ...names, `${report.from}..${report.to}`, ...metricCells(report.totals)],
      ],
      boldRows: [0],
    },
    {
      name: 'By level',
      rows: [['level', ...metricColumns], ...report.byLevel.map((row) => [row.level, ...metricCells(row.metrics)])],
      boldRows: [0],
    },
    {
      name: 'By topic',
      rows: [
        ['topic', 'name (kk)', 'name (ru)', 'name (en)', ...metricColumns],
        ...report.byTopic.map((row) => [row.topic, row.name.kk, row.name.ru, row.name.en, ...metricCells(row.metrics)]),
      ],
      boldRows: [0],
      columnWidths: [24, 32, 32, 32],
    },
  ];
}

export function cascadeSheets(report: CascadeReport): Sheet[] {
  return [
    {
      name: 'Cascade',
      rows: [
        ['trainingId', 'parentTrainingId', 'level', 'region', 'title', 'trainerName', 'certified', 'flagged'],
        ...report.nodes.map((node) => [
          node.trainingId,
          node.parentTrainingId,
          node.level,
          node.region,
          node.title,
          node.trainerName,
          node.certified,
          node.flagged ?? '',
        ]),
      ],
      boldRows: [0],
      columnWidths: [24, 24, 6, 14, 50, 30, 10, 30],
    },
    {
      name: 'Summary',
      rows: [
        ['root', report.root.trainingId, report.root.title],
        ['multipliers', report.summary.multipliers],
        ['trainingsHeld', report.summary.trainingsHeld],
        ['reach', report.summary.reach],
        ['multiplicationFactor', report.summary.multiplicationFactor],
        ['medianDaysToFirstTraining', report.summary.medianDaysToFirstTraining],
        ['level', 'certified', 'deliveredNext', 'dropOffRate'],
        ...report.summary.dropOffByLevel.map((row) => [row.level, row.certified, row.deliveredNext, row.dropOffRate]),
      ],
    },
  ];
}

export function multipliersSheets(report: MultipliersReport): Sheet[] {
  return [
    {
      name: 'Multipliers',
      rows: [
        ['trainerSub', 'name', 'region', 'certificateNumber', 'trainingsHeld', 'reach'],
        ...report.items.map((item) => [item.trainerSub, item.name, item.region, item.certificateNumber, item.trainingsHeld, item.reach]),
      ],
      boldRows: [0],
      columnWidths: [38, 32, 14, 24, 14, 10],
    },
  ];
}

export function expiringQualificationsSheets(report: ExpiringQualificationsReport): Sheet[] {
  return [
    {
      name: 'Expiring qualifications',
      rows: [
        ['number', 'holderName', 'holderEmail', 'level', 'qualifiesForLevel', 'validUntil', 'daysLeft'],
        ...report.items.map((item) => [item.number, item.holderName, item.holderEmail, item.level, item.qualifiesForLevel, item.validUntil, item.daysLeft]),
      ],
      boldRows: [0],
      columnWidths: [24, 32, 32, 8, 18, 26, 10],
    },
  ];
}

/** The HTTP answer for a report in the asked format: JSON as is, CSV the first sheet, XLSX all. */
export async function reportResponse(
  format: 'json' | 'csv' | 'xlsx',
  report: unknown,
  sheets: () => Sheet[],
  fileName: string,
): Promise<HttpResponse> {
  // Reports name people: browsers and proxies keep no copy.
  const noStore = { 'cache-control': 'no-store' };
  if (format === 'json') return { status: 200, body: report, headers: noStore };
  const disposition = (extension: string) => `attachment; filename="${fileName}.${extension}"`;
  // The writers (csv-stringify; exceljs, loaded by xlsxBuffer) only for a file, never for JSON.
  const { csvText, xlsxBuffer } = await import('./spreadsheet');
  if (format === 'csv') {
    return {
      status: 200,
      text: csvText(sheets()[0]!.rows),
      headers: { ...noStore, 'content-type': CSV_CONTENT_TYPE, 'content-disposition': disposition('csv') },
    };
  }
  return {
    status: 200,
    binary: await xlsxBuffer(sheets(), { title: fileName }),
    headers: { ...noStore, 'content-type': XLSX_CONTENT_TYPE, 'content-disposition': disposition('xlsx') },
  };
}

const surveyColumns: readonly (keyof SurveyMetrics)[] = [
  'invited',
  'responses',
  'responseRate',
  'applicationRate',
  'colleaguesReached',
  'withheldResponses',
  'candidates',
];

function surveyCells(metrics: SurveyMetrics): Cell[] {
  // A rate with too few responses behind it says so instead of printing a small group's answer.
  return surveyColumns.map((column) => (metrics[column] === null && column === 'applicationRate' && metrics.responses > 0 ? `< ${feedbackMinimumResponses} responses` : metrics[column]));
}

export function surveyReportSheets(report: SurveyReport): Sheet[] {
  const table = (name: string, heading: string[], rows: Cell[][]): Sheet => ({
    name,
    rows: [[...heading, ...surveyColumns], ...rows],
    boldRows: [0],
    columnWidths: [...heading.map(() => 24), ...surveyColumns.map(() => 16)],
  });
  return [
    table('By region', ['region', 'name (kk)', 'name (ru)'], report.byRegion.map((row) => [row.region, ...regionNames(row.region), ...surveyCells(row.metrics)])),
    table('By level', ['level'], report.byLevel.map((row) => [row.level, ...surveyCells(row.metrics)])),
    table('By topic', ['topic', 'name (kk)', 'name (ru)'], report.byTopic.map((row) => [row.topic, row.name.kk, row.name.ru, ...surveyCells(row.metrics)])),
    table('By month', ['month'], report.byMonth.map((row) => [row.month, ...surveyCells(row.metrics)])),
  ];
}

export function surveyCandidatesSheets(report: SurveyCandidatesReport): Sheet[] {
  return [
    {
      name: 'Next-level candidates',
      rows: [
        ['region', 'fullName', 'email', 'certificateNumber', 'level', 'nextLevel', 'training', 'topic', 'months', 'since'],
        ...report.items.map((item) => [
          item.region,
          item.fullName,
          item.email,
          item.certificateNumber,
          item.level,
          item.nextLevel,
          item.trainingTitle.kk ?? item.trainingTitle.ru ?? item.trainingTitle.en ?? '',
          item.topic,
          item.months,
          item.since,
        ]),
      ],
      boldRows: [0],
      columnWidths: [16, 32, 32, 24, 8, 10, 40, 20, 8, 26],
    },
  ];
}
