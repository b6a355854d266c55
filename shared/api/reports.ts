import {
  cascadeReportParams,
  cascadeReportQuery,
  expiringQualificationsQuery,
  multipliersReportQuery,
  regionReportParams,
  regionReportQuery,
  regionsReportQuery,
} from '../schemas/reports';
import { surveyCandidatesQuery, surveyReportQuery } from '../schemas/survey';
import type { RouteSpec } from '../http/route';
import type { AreaRequests } from './contract';

export const regionsReportRequest = { query: regionsReportQuery } satisfies RouteSpec;
export const regionReportRequest = { params: regionReportParams, query: regionReportQuery } satisfies RouteSpec;
export const cascadeReportRequest = { params: cascadeReportParams, query: cascadeReportQuery } satisfies RouteSpec;
export const multipliersReportRequest = { query: multipliersReportQuery } satisfies RouteSpec;
export const journalReportRequest = { params: regionReportParams, query: regionReportQuery } satisfies RouteSpec;
export const expiringQualificationsReportRequest = { query: expiringQualificationsQuery } satisfies RouteSpec;
export const surveyReportRequest = { query: surveyReportQuery } satisfies RouteSpec;
export const surveyCandidatesRequest = { query: surveyCandidatesQuery } satisfies RouteSpec;

export const reportsApi = {
  regionsReport: regionsReportRequest,
  regionReport: regionReportRequest,
  cascadeReport: cascadeReportRequest,
  multipliersReport: multipliersReportRequest,
  journalReport: journalReportRequest,
  expiringQualificationsReport: expiringQualificationsReportRequest,
  surveyReport: surveyReportRequest,
  surveyCandidates: surveyCandidatesRequest,
} satisfies AreaRequests;
