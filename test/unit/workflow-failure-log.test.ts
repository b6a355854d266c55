import type { Context, DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';

process.env.TABLE_NAME = 'unit-table';
process.env.CERTIFICATES_BUCKET = 'unit-bucket';
process.env.MAIL_FROM = 'no-reply@example.kz';

const address = 'aigul.serikkyzy@school12.kz';

class JournalMailRefused extends Error {
  override name = 'JournalMailRefused';
}

vi.mock('../../shared/usecases/journal', () => ({
  onJournalCommentAdded: vi.fn(async () => {
    throw new JournalMailRefused(`could not email ${address}`);
  }),
}));

function commentRecord(sequenceNumber: string, commentKey = `COMMENT#${sequenceNumber}`): DynamoDBRecord {
  return {
    eventName: 'INSERT',
    dynamodb: {
      SequenceNumber: sequenceNumber,
      Keys: { pk: { S: 'JOURNAL#t1' }, sk: { S: commentKey } },
      NewImage: { type: { S: 'JournalComment' }, authorEmail: { S: address } },
    },
  };
}

describe('the workflow consumer, when a record fails (functions/streams/workflow.ts)', () => {
  it('reports the record to the stream and logs why by error name, never the message or an address', async () => {
    const { logger } = await import('../../shared/observability/logger');
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const { handler } = await import('../../functions/streams/workflow');

    const response = await handler({ Records: [commentRecord('101'), commentRecord('102')] }, { functionName: 'workflow' } as Context);

    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(['101', '102']);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenCalledWith('Workflow record failed; the stream delivers it again', {
      errorName: 'JournalMailRefused',
      entityType: 'JournalComment',
      eventName: 'INSERT',
      sequenceNumber: '101',
    });
    expect(JSON.stringify(warn.mock.calls)).not.toContain(address);
  });

  it('logs a failure once: a later record of the same item, held back behind it, is reported but not logged again', async () => {
    const { logger } = await import('../../shared/observability/logger');
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    warn.mockClear();
    const { handler } = await import('../../functions/streams/workflow');

    const response = await handler({ Records: [commentRecord('201', 'COMMENT#same'), commentRecord('202', 'COMMENT#same')] }, { functionName: 'workflow' } as Context);

    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(['201', '202']);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[1]).toMatchObject({ sequenceNumber: '201' });
  });
});
