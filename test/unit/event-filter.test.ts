import { describe, expect, it } from 'vitest';
import type { DynamoDBRecord } from 'aws-lambda';
import { consumers, type FilterPattern } from '../../shared/manifest';
import { UnsupportedFilterError, assertValidFilterPattern, matchesAny, matchesFilter } from '../../local/event-filter';

function streamRecord(overrides: Partial<DynamoDBRecord> & { newType?: string; oldType?: string } = {}): DynamoDBRecord {
  const { newType = 'Training', oldType, ...rest } = overrides;
  return {
    eventID: 'e1',
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'local',
    dynamodb: {
      Keys: { pk: { S: 'TRAINING#1' }, sk: { S: 'META' } },
      NewImage: {
        pk: { S: 'TRAINING#1' },
        sk: { S: 'META' },
        type: { S: newType },
        seats: { N: '30' },
        published: { BOOL: true },
        tags: { SS: ['math', 'physics'] },
        sessions: { L: [{ M: { room: { S: 'A1' }, hours: { N: '2' } } }, { M: { room: { S: 'B2' } } }] },
        note: { NULL: true },
      },
      ...(oldType ? { OldImage: { type: { S: oldType } } } : {}),
      SequenceNumber: '000000000000000000001',
      SizeBytes: 120,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    ...rest,
  };
}

describe('matchesFilter', () => {
  describe('exact values', () => {
    it('matches a string from a list of accepted values (OR)', () => {
      expect(matchesFilter({ eventName: ['INSERT', 'MODIFY'] }, streamRecord())).toBe(true);
      expect(matchesFilter({ eventName: ['MODIFY', 'REMOVE'] }, streamRecord())).toBe(false);
    });

    it('reaches into nested DynamoDB JSON', () => {
      expect(matchesFilter({ dynamodb: { NewImage: { type: { S: ['Training'] } } } }, streamRecord())).toBe(true);
      expect(matchesFilter({ dynamodb: { NewImage: { type: { S: ['Registration'] } } } }, streamRecord())).toBe(false);
    });

    it('ANDs the keys of an object at every level', () => {
      const pattern: FilterPattern = {
        eventName: ['INSERT'],
        dynamodb: { NewImage: { type: { S: ['Training'] }, pk: { S: ['TRAINING#1'] } } },
      };
      expect(matchesFilter(pattern, streamRecord())).toBe(true);
      expect(matchesFilter(pattern, streamRecord({ eventName: 'MODIFY' }))).toBe(false);
      expect(matchesFilter(pattern, streamRecord({ newType: 'Certificate' }))).toBe(false);
    });

    it('is type-strict: DynamoDB numbers are strings, so a numeric pattern does not match them', () => {
      expect(matchesFilter({ dynamodb: { NewImage: { seats: { N: ['30'] } } } }, streamRecord())).toBe(true);
      expect(matchesFilter({ dynamodb: { NewImage: { seats: { N: [30] } } } }, streamRecord())).toBe(false);
    });

    it('matches numbers against numbers', () => {
      expect(matchesFilter({ dynamodb: { SizeBytes: [120] } }, streamRecord())).toBe(true);
      expect(matchesFilter({ dynamodb: { SizeBytes: [121, 119] } }, streamRecord())).toBe(false);
      expect(matchesFilter({ dynamodb: { SizeBytes: ['120'] } }, streamRecord())).toBe(false);
    });

    it('matches booleans only against booleans', () => {
      expect(matchesFilter({ dynamodb: { NewImage: { published: { BOOL: [true] } } } }, streamRecord())).toBe(true);
      expect(matchesFilter({ dynamodb: { NewImage: { published: { BOOL: [false] } } } }, streamRecord())).toBe(false);
      expect(matchesFilter({ dynamodb: { NewImage: { published: { BOOL: ['true'] } } } }, streamRecord())).toBe(false);
    });

    it('matches null only against a JSON null, never against a missing field', () => {
      expect(matchesFilter({ value: [null] }, { value: null })).toBe(true);
      expect(matchesFilter({ value: [null] }, { value: 'x' })).toBe(false);
      expect(matchesFilter({ value: [null] }, {})).toBe(false);
    });

    it('does not match a missing field or a missing parent', () => {
      expect(matchesFilter({ dynamodb: { OldImage: { type: { S: ['Training'] } } } }, streamRecord())).toBe(false);
      expect(matchesFilter({ nothing: { here: ['x'] } }, streamRecord())).toBe(false);
    });

    it('does not match an object where the pattern expects a leaf', () => {
      expect(matchesFilter({ dynamodb: { NewImage: { type: ['Training'] } } }, streamRecord())).toBe(false);
    });

    it('matches an empty pattern against anything', () => {
      expect(matchesFilter({}, streamRecord())).toBe(true);
    });
  });

  describe('arrays in the record', () => {
    it('matches a leaf list when any element matches', () => {
      expect(matchesFilter({ dynamodb: { NewImage: { tags: { SS: ['physics'] } } } }, streamRecord())).toBe(true);
      expect(matchesFilter({ dynamodb: { NewImage: { tags: { SS: ['chemistry'] } } } }, streamRecord())).toBe(false);
    });

    it('matches a nested pattern when one element satisfies all of its keys', () => {
      const sameElement: FilterPattern = {
        dynamodb: { NewImage: { sessions: { L: { M: { room: { S: ['A1'] }, hours: { N: ['2'] } } } } } },
      };
      const acrossElements: FilterPattern = {
        dynamodb: { NewImage: { sessions: { L: { M: { room: { S: ['B2'] }, hours: { N: ['2'] } } } } } },
      };
      expect(matchesFilter(sameElement, streamRecord())).toBe(true);
      expect(matchesFilter(acrossElements, streamRecord())).toBe(false);
    });

    it('flattens nested arrays', () => {
      expect(matchesFilter({ grid: [3] }, { grid: [[1, 2], [3]] })).toBe(true);
      expect(matchesFilter({ grid: [4] }, { grid: [[1, 2], [3]] })).toBe(false);
    });

    it('treats an empty array as no value', () => {
      expect(matchesFilter({ list: [{ exists: false }] }, { list: [] })).toBe(true);
      expect(matchesFilter({ list: [{ exists: true }] }, { list: [] })).toBe(false);
    });
  });

  describe('prefix', () => {
    it('matches strings that start with the prefix', () => {
      expect(matchesFilter({ dynamodb: { Keys: { pk: { S: [{ prefix: 'TRAINING#' }] } } } }, streamRecord())).toBe(true);
      expect(matchesFilter({ dynamodb: { Keys: { pk: { S: [{ prefix: 'USER#' }] } } } }, streamRecord())).toBe(false);
    });

    it('is case-sensitive and never matches non-strings', () => {
      expect(matchesFilter({ dynamodb: { Keys: { pk: { S: [{ prefix: 'training#' }] } } } }, streamRecord())).toBe(false);
      expect(matchesFilter({ dynamodb: { SizeBytes: [{ prefix: '12' }] } }, streamRecord())).toBe(false);
    });

    it('lets an empty prefix match any string', () => {
      expect(matchesFilter({ eventName: [{ prefix: '' }] }, streamRecord())).toBe(true);
    });
  });

  describe('exists', () => {
    it('exists: true matches a present leaf and not an absent one', () => {
      expect(matchesFilter({ dynamodb: { NewImage: { type: { S: [{ exists: true }] } } } }, streamRecord())).toBe(true);
      expect(matchesFilter({ dynamodb: { NewImage: { email: { S: [{ exists: true }] } } } }, streamRecord())).toBe(false);
    });

    it('exists: false matches an absent leaf, also when its parents are absent', () => {
      expect(matchesFilter({ dynamodb: { NewImage: { email: { S: [{ exists: false }] } } } }, streamRecord())).toBe(true);
      expect(matchesFilter({ dynamodb: { OldImage: { type: { S: [{ exists: false }] } } } }, streamRecord())).toBe(true);
      expect(matchesFilter({ dynamodb: { NewImage: { type: { S: [{ exists: false }] } } } }, streamRecord())).toBe(false);
    });

    it('tells an insert from a modify by the old image', () => {
      const firstSeenAsTraining: FilterPattern = {
        dynamodb: { NewImage: { type: { S: ['Training'] } }, OldImage: { type: { S: [{ exists: false }] } } },
      };
      expect(matchesFilter(firstSeenAsTraining, streamRecord())).toBe(true);
      expect(matchesFilter(firstSeenAsTraining, streamRecord({ eventName: 'MODIFY', oldType: 'Training' }))).toBe(false);
    });

    it('counts a JSON null as present', () => {
      expect(matchesFilter({ value: [{ exists: true }] }, { value: null })).toBe(true);
    });

    it('only sees leaves, as AWS does: an object value neither exists nor blocks exists: false', () => {
      expect(matchesFilter({ dynamodb: { NewImage: [{ exists: true }] } }, streamRecord())).toBe(false);
      expect(matchesFilter({ dynamodb: { NewImage: [{ exists: false }] } }, streamRecord())).toBe(true);
    });

    it('combines with values in one list (OR)', () => {
      const absentOrDraft: FilterPattern = { status: [{ exists: false }, 'draft'] };
      expect(matchesFilter(absentOrDraft, {})).toBe(true);
      expect(matchesFilter(absentOrDraft, { status: 'draft' })).toBe(true);
      expect(matchesFilter(absentOrDraft, { status: 'published' })).toBe(false);
    });
  });

  describe('anything-but', () => {
    it('matches any value not listed', () => {
      expect(matchesFilter({ eventName: [{ 'anything-but': ['REMOVE'] }] }, streamRecord())).toBe(true);
      expect(matchesFilter({ eventName: [{ 'anything-but': ['INSERT', 'REMOVE'] }] }, streamRecord())).toBe(false);
    });

    it('compares numbers as numbers and strings as strings', () => {
      expect(matchesFilter({ dynamodb: { SizeBytes: [{ 'anything-but': [120] }] } }, streamRecord())).toBe(false);
      expect(matchesFilter({ dynamodb: { SizeBytes: [{ 'anything-but': ['120'] }] } }, streamRecord())).toBe(true);
    });

    it('does not match a missing field', () => {
      expect(matchesFilter({ dynamodb: { OldImage: { type: { S: [{ 'anything-but': ['Training'] }] } } } }, streamRecord())).toBe(
        false,
      );
    });

    it('matches a list in the record when any element is not excluded', () => {
      expect(matchesFilter({ tags: [{ 'anything-but': ['math'] }] }, { tags: ['math', 'art'] })).toBe(true);
      expect(matchesFilter({ tags: [{ 'anything-but': ['math'] }] }, { tags: ['math'] })).toBe(false);
    });
  });

  it('evaluates the manifest workflow filter as the deployed mapping would', () => {
    const [workflowFilter] = consumers.workflow.filters;
    expect(matchesFilter(workflowFilter, streamRecord())).toBe(true);
    expect(matchesFilter(workflowFilter, streamRecord({ eventName: 'MODIFY', oldType: 'Training' }))).toBe(true);
    expect(matchesFilter(workflowFilter, streamRecord({ eventName: 'REMOVE' }))).toBe(false);
    expect(matchesFilter(workflowFilter, streamRecord({ newType: 'Registration' }))).toBe(true);
    expect(matchesFilter(workflowFilter, streamRecord({ newType: 'EmailClaim' }))).toBe(false);
    expect(matchesFilter(workflowFilter, streamRecord({ newType: 'Seats' }))).toBe(false);
  });

  it('tolerates records that are not objects', () => {
    expect(matchesFilter({ eventName: ['INSERT'] }, undefined)).toBe(false);
    expect(matchesFilter({ eventName: ['INSERT'] }, 'INSERT')).toBe(false);
    expect(matchesFilter({ eventName: [{ exists: false }] }, null)).toBe(true);
  });
});

describe('matchesAny', () => {
  const trainings: FilterPattern = { dynamodb: { NewImage: { type: { S: ['Training'] } } } };
  const removals: FilterPattern = { eventName: ['REMOVE'] };

  it('matches when any pattern matches (OR across patterns)', () => {
    expect(matchesAny([removals, trainings], streamRecord())).toBe(true);
    expect(matchesAny([removals, trainings], streamRecord({ eventName: 'REMOVE', newType: 'Registration' }))).toBe(true);
    expect(matchesAny([removals, trainings], streamRecord({ newType: 'Registration' }))).toBe(false);
  });

  it('matches nothing with no patterns', () => {
    expect(matchesAny([], streamRecord())).toBe(false);
  });
});

describe('assertValidFilterPattern', () => {
  it('accepts every supported construct and the manifest filters', () => {
    expect(() =>
      assertValidFilterPattern({
        a: ['x', 1, true, null, { prefix: 'p' }, { exists: false }, { 'anything-but': ['y', 2] }],
        b: { c: ['d'] },
      }),
    ).not.toThrow();
    for (const pattern of consumers.workflow.filters) expect(() => assertValidFilterPattern(pattern)).not.toThrow();
  });

  it('rejects operators the local evaluator cannot honour, naming where', () => {
    const numeric = { a: { b: [{ numeric: ['>', 0] }] } } as unknown as FilterPattern;
    expect(() => assertValidFilterPattern(numeric)).toThrow(UnsupportedFilterError);
    expect(() => assertValidFilterPattern(numeric)).toThrow('$.a.b');
    const suffix = { a: [{ suffix: '.png' }] } as unknown as FilterPattern;
    expect(() => assertValidFilterPattern(suffix)).toThrow(UnsupportedFilterError);
    const twoOperators = { a: [{ prefix: 'a', exists: true }] } as unknown as FilterPattern;
    expect(() => assertValidFilterPattern(twoOperators)).toThrow(UnsupportedFilterError);
  });

  it('rejects an empty list of values, which would silently match nothing', () => {
    expect(() => assertValidFilterPattern({ a: [] })).toThrow('$.a');
  });

  it('makes matchesFilter refuse an unknown operator instead of guessing', () => {
    const numeric = { a: [{ numeric: ['>', 0] }] } as unknown as FilterPattern;
    expect(() => matchesFilter(numeric, { a: 1 })).toThrow(UnsupportedFilterError);
  });
});
