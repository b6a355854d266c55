import { attendanceReportQuery, checkInBodySchema, putAttendanceBodySchema, sessionParams, teamsReportBodySchema } from '../schemas/attendance';
import { trainingIdParams } from '../schemas/common';
import type { RouteSpec } from '../http/route';
import type { AreaRequests } from './contract';

export const recordAttendanceRequest = { params: sessionParams, body: putAttendanceBodySchema } satisfies RouteSpec;
export const importTeamsReportRequest = { params: sessionParams, body: teamsReportBodySchema } satisfies RouteSpec;
export const issueCheckInCodeRequest = { params: sessionParams } satisfies RouteSpec;
export const checkInRequest = { body: checkInBodySchema } satisfies RouteSpec;
export const attendanceReportRequest = { params: trainingIdParams, query: attendanceReportQuery } satisfies RouteSpec;

export const attendanceApi = {
  recordAttendance: recordAttendanceRequest,
  importTeamsReport: importTeamsReportRequest,
  issueCheckInCode: issueCheckInCodeRequest,
  checkIn: checkInRequest,
  attendanceReport: attendanceReportRequest,
} satisfies AreaRequests;
