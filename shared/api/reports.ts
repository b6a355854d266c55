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
import type { AreaRequests } from './contract';

export const reportsApi = {
  regionsReport: { query: regionsReportQuery },
  regionReport: { params: regionReportParams, query: regionReportQuery },
  cascadeReport: { params: cascadeReportParams, query: cascadeReportQuery },
  multipliersReport: { query: multipliersReportQuery },
  journalReport: { params: regionReportParams, query: regionReportQuery },
  expiringQualificationsReport: { query: expiringQualificationsQuery },
  surveyReport: { query: surveyReportQuery },
  surveyCandidates: { query: surveyCandidatesQuery },
} satisfies AreaRequests;
