import { DynamoDBDocumentClient, QueryCommand, ScanCommand, BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as Reports from '../../shared/usecases/reports';
import type { Principal } from '../../shared/auth/principal';
import { ForbiddenError, ValidationError } from '../../shared/errors';
import { counterName } from '../../shared/domain/aggregates';

process.env.TABLE_NAME = 'unit-table';
const documentMock = mockClient(DynamoDBDocumentClient);

let reports: typeof Reports;
beforeAll(async () => {
  reports = await import('../../shared/usecases/reports');
});
beforeEach(() => documentMock.reset());

const admin: Principal = { sub: 'a', email: 'a@x.kz', name: 'Әсел', groups: ['admins'] };
const coordinator: Principal = { sub: 'c', email: 'c@x.kz', name: 'Нұрлан', groups: ['coordinators'], region: 'almaty' };

function monthItem(month: string, scheduled: number) {
  return { pk: 'AGG#REGION#almaty', sk: `MONTH#${month}`, type: 'Aggregate', [counterName('scheduled', 1, 'lesson-study')]: scheduled };
}

describe('the region report reads at most 25 items and never scans', () => {
  it('one Query of the month items in range, limited to 25 (and one of the topic names)', async () => {
    documentMock.on(QueryCommand).resolves({ Items: [monthItem('2026-01', 2), monthItem('2026-03', 5)] });
    documentMock.on(QueryCommand, { ExpressionAttributeValues: { ':partition': 'TOPIC', ':prefix': 'TOPIC#' } }).resolves({
      Items: [{ pk: 'TOPIC', sk: 'TOPIC#lesson-study', id: 'lesson-study', name: { kk: 'Сабақты зерттеу', ru: 'Исследование урока', en: 'Lesson Study' }, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-02T00:00:00.000Z', version: 2 }],
    });
    const report = await reports.regionReport(admin, 'almaty', { from: '2026-01', to: '2026-12' });

    const all = documentMock.commandCalls(QueryCommand);
    const queries = all.filter((call) => call.args[0].input.ExpressionAttributeValues?.[':pk'] === 'AGG#REGION#almaty');
    expect(queries).toHaveLength(1);
    // The vocabulary's one partition: the only other read.
    expect(all).toHaveLength(2);
    expect(documentMock.commandCalls(ScanCommand)).toHaveLength(0);
    expect(report.byTopic.map(({ topic, name }) => ({ topic, name }))).toEqual([
      { topic: 'lesson-study', name: { kk: 'Сабақты зерттеу', ru: 'Исследование урока', en: 'Lesson Study' } },
    ]);
    expect(report.byTopic[0]!.metrics.trainingsScheduled).toBe(7);
    const input = queries[0]!.args[0].input;
    expect(input.Limit).toBeLessThanOrEqual(25);
    expect(input.KeyConditionExpression).toBe('pk = :pk AND sk BETWEEN :from AND :to');
    expect(input.ExpressionAttributeValues).toEqual({ ':pk': 'AGG#REGION#almaty', ':from': 'MONTH#2026-01', ':to': 'MONTH#2026-12' });

    expect(report.totals.trainingsScheduled).toBe(7);
    expect(report.byMonth).toHaveLength(12);
    expect(report.byMonth[2]).toMatchObject({ month: '2026-03', metrics: { trainingsScheduled: 5 } });
    expect(report.byLevel.find((row) => row.level === 1)?.metrics.trainingsScheduled).toBe(7);
  });

  it('refuses a range longer than 24 months before reading anything', async () => {
    await expect(reports.regionReport(admin, 'almaty', { from: '2024-01', to: '2026-12' })).rejects.toThrow(ValidationError);
    expect(documentMock.calls()).toHaveLength(0);
  });

  it('confines a coordinator to their region, before reading anything', async () => {
    await expect(reports.regionReport(coordinator, 'astana', {})).rejects.toThrow(ForbiddenError);
    await expect(reports.multipliersReport(coordinator, { region: 'astana', limit: 10 })).rejects.toThrow(ForbiddenError);
    expect(documentMock.calls()).toHaveLength(0);
  });

  it('answers every region with one BatchGet of the 20 all-time items', async () => {
    documentMock.on(BatchGetCommand).resolves({ Responses: { 'unit-table': [{ pk: 'AGG#REGION#almaty', sk: 'TOTAL', [counterName('held', 2, 'x')]: 3 }] } });
    const all = await reports.regionsReport(admin);
    expect(all.items).toHaveLength(20);
    expect(all.items.find((item) => item.region === 'almaty')?.metrics.trainingsHeld).toBe(3);
    expect(documentMock.commandCalls(BatchGetCommand)).toHaveLength(1);
    expect(documentMock.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems!['unit-table']!.Keys).toHaveLength(20);

    const own = await reports.regionsReport(coordinator);
    expect(own.items.map((item) => item.region)).toEqual(['almaty']);
  });
});
