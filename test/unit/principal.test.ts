import { describe, expect, it } from 'vitest';
import { principalFromClaims } from '../../shared/auth/principal';

describe('principal from JWT claims', () => {
  it('reads groups given as a list (local gateway)', () => {
    expect(principalFromClaims({ sub: 's', email: 'e@x.kz', 'cognito:groups': ['trainers', 'teachers'] })?.groups).toEqual([
      'trainers',
      'teachers',
    ]);
  });

  it('reads groups as the HTTP API authorizer renders them: "[a b]"', () => {
    expect(principalFromClaims({ sub: 's', email: 'e@x.kz', 'cognito:groups': '[admins coordinators]' })?.groups).toEqual([
      'admins',
      'coordinators',
    ]);
  });

  it('ignores groups that are not roles of the platform', () => {
    expect(principalFromClaims({ sub: 's', email: 'e@x.kz', 'cognito:groups': ['superusers'] })?.groups).toEqual([]);
  });

  it('keeps the coordinator region and falls back to the email for a missing name', () => {
    const principal = principalFromClaims({ sub: 's', email: 'e@x.kz', 'custom:region': 'almaty' });
    expect(principal).toMatchObject({ region: 'almaty', name: 'e@x.kz' });
  });

  it('returns nothing without a subject', () => {
    expect(principalFromClaims({ email: 'e@x.kz' })).toBeUndefined();
    expect(principalFromClaims(undefined)).toBeUndefined();
  });
});
