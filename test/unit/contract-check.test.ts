import { describe, expect, it } from 'vitest';
import { checkContract, ContractViolation, routeOf } from '../support/contract';
import { uncoveredRoutes } from '../support/contract-coverage';

const error = (code: string) => ({ error: { code, message: 'No.', requestId: 'r-1' } });

describe('the contract check of test/support/api.ts', () => {
  it('finds the route a request reached, the most specific first', () => {
    expect(routeOf('GET', '/api/trainings/abc')).toBe('getTraining');
    expect(routeOf('DELETE', '/api/trainings/abc/registrations/me')).toBe('withdrawRegistration');
    expect(routeOf('PUT', '/api/me/journal/trainings/t1/share')).toBe('shareJournalTraining');
    expect(routeOf('GET', '/api/local/clock')).toBeUndefined();
  });

  it('accepts a declared answer whose body fits its schema', () => {
    const body = { items: [{ id: 'x', name: { kk: 'а', ru: 'б', en: 'c' }, seeded: true }] };
    expect(checkContract('GET', '/api/topics', { status: 200, contentType: 'application/json', body, text: '' })).toBe('listTopics');
    expect(checkContract('GET', '/api/topics/x', { status: 404, contentType: 'application/json', body: error('NOT_FOUND'), text: '' })).toBeUndefined();
    expect(checkContract('PATCH', '/api/topics/x', { status: 404, contentType: 'application/json', body: error('NOT_FOUND'), text: '' })).toBe('renameTopic');
  });

  it('fails an undeclared status, a body the schema refuses, and an undeclared file type', () => {
    expect(() => checkContract('GET', '/api/topics', { status: 500, contentType: 'application/json', body: error('INTERNAL'), text: '' })).toThrow(ContractViolation);
    expect(() => checkContract('GET', '/api/topics', { status: 200, contentType: 'application/json', body: { items: [{ id: 1 }] }, text: '' })).toThrow(/items\.0\.id/);
    expect(() => checkContract('POST', '/api/topics', { status: 400, contentType: 'application/json', body: { error: { code: 'X' } }, text: '' })).toThrow(ContractViolation);
    expect(() => checkContract('GET', '/api/certificates/c1/pdf', { status: 200, contentType: 'text/html', body: undefined, text: '<p>' })).toThrow(/content type text\/html/);
    expect(checkContract('GET', '/api/certificates/c1/pdf', { status: 200, contentType: 'application/pdf', body: undefined, text: '%PDF' })).toBe('certificatePdf');
  });

  it('takes the JWT authorizer’s own 401 body as well as the handlers’ error body', () => {
    expect(checkContract('GET', '/api/me/trainings', { status: 401, contentType: 'application/json', body: { message: 'Unauthorized' }, text: '' })).toBe('myTrainings');
  });

  it('names the routes a run never saw succeed', () => {
    const missing = uncoveredRoutes(['listTopics 200', 'getTraining 404']);
    expect(missing).toContain('getTraining');
    expect(missing).not.toContain('listTopics');
  });
});
