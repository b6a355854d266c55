import { attendanceReportQuery, checkInBodySchema, putAttendanceBodySchema, sessionParams, teamsReportBodySchema } from '../schemas/attendance';
import { trainingIdParams } from '../schemas/training';
import type { AreaRequests } from './contract';

export const attendanceApi = {
  recordAttendance: { params: sessionParams, body: putAttendanceBodySchema },
  importTeamsReport: { params: sessionParams, body: teamsReportBodySchema },
  issueCheckInCode: { params: sessionParams },
  checkIn: { body: checkInBodySchema },
  attendanceReport: { params: trainingIdParams, query: attendanceReportQuery },
} satisfies AreaRequests;
