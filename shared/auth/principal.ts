import * as z from '../schemas/zod';
import { roles, type Role } from './roles';

/** The signed-in person, as the JWT authorizer (Cognito on AWS, the local key locally) vouched. */
export interface Principal {
  sub: string;
  email: string;
  name: string;
  groups: Role[];
  /** Only coordinators are scoped to a region. */
  region?: string;
}

/**
 * API Gateway's HTTP API renders a list claim such as `cognito:groups` as the string
 * "[admins trainers]"; the local gateway passes a real array. Accept both.
 */
function parseGroups(value: unknown): Role[] {
  const names =
    Array.isArray(value)
      ? value.map(String)
      : typeof value === 'string'
        ? value.replace(/^\[|\]$/g, '').split(/[\s,]+/)
        : [];
  return names.filter((name): name is Role => (roles as readonly string[]).includes(name));
}

const claimsSchema = z.object({
  sub: z.string().check(z.minLength(1)),
  email: z.string().check(z.minLength(1)),
  name: z.optional(z.string()),
  'cognito:groups': z.optional(z.unknown()),
  'custom:region': z.optional(z.string()),
});

export function principalFromClaims(claims: unknown): Principal | undefined {
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) return undefined;
  const { sub, email, name, 'cognito:groups': groups, 'custom:region': region } = parsed.data;
  return {
    sub,
    email,
    name: name ?? email,
    groups: parseGroups(groups),
    ...(region ? { region } : {}),
  };
}

export function hasRole(principal: Principal, role: Role): boolean {
  return principal.groups.includes(role);
}

export function hasAnyRole(principal: Principal, allowed: readonly Role[]): boolean {
  return allowed.some((role) => principal.groups.includes(role));
}

/** A coordinator speaks for one region; an admin for all. */
export function coordinatesRegion(principal: Principal, region: string): boolean {
  return hasRole(principal, 'coordinators') && principal.region === region;
}
