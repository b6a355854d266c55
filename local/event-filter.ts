/**
 * Evaluates Lambda event-filtering patterns (the EventBridge syntax) against a stream record in its
 * wire form, so the local poller drops exactly the records AWS would drop.
 *
 * The semantics follow AWS's matcher rather than intuition where the two differ:
 * - Only leaf values (string, number, boolean, null) can match. A pattern key whose record value is
 *   an object has no leaf there, so `{ exists: true }` never matches it and `{ exists: false }`
 *   always does ("exists only works on leaf nodes"). Write `{ NewImage: { email: { S: [...] } } }`,
 *   not `{ NewImage: { email: [...] } }`.
 * - Arrays in the record are flattened: a leaf array matches when any element matches, and a
 *   nested pattern matches when one element satisfies all of its keys.
 * - Equality is type-strict: the pattern `5` does not match the string `"5"`. DynamoDB numbers
 *   arrive as strings (`{ N: "5" }`), so filter them with strings.
 */
import type { FilterPattern, FilterValue } from '../shared/manifest';

type Leaf = string | number | boolean | null;

/** A pattern uses an operator this evaluator (and so the local runtime) cannot honour. */
export class UnsupportedFilterError extends Error {}

/** True when `record` satisfies every key of `pattern`. */
export function matchesFilter(pattern: FilterPattern, record: unknown): boolean {
  return matchesNode(pattern, record);
}

/** True when `record` satisfies at least one of `patterns` (an empty list matches nothing). */
export function matchesAny(patterns: readonly FilterPattern[], record: unknown): boolean {
  return patterns.some((pattern) => matchesNode(pattern, record));
}

/**
 * Throws an UnsupportedFilterError naming the path of the first construct AWS would reject or the
 * local evaluator does not know, so a bad manifest entry fails at start-up rather than silently
 * filtering everything out.
 */
export function assertValidFilterPattern(pattern: FilterPattern, path = '$'): void {
  if (!isPlainObject(pattern)) throw new UnsupportedFilterError(`${path}: a filter pattern must be an object`);
  for (const [key, rule] of Object.entries(pattern)) {
    const where = `${path}.${key}`;
    if (Array.isArray(rule)) {
      if (rule.length === 0) throw new UnsupportedFilterError(`${where}: an empty list of values matches nothing`);
      for (const value of rule as readonly unknown[]) assertValidFilterValue(value, where);
    } else {
      assertValidFilterPattern(rule as FilterPattern, where);
    }
  }
}

function assertValidFilterValue(value: unknown, path: string): void {
  if (isLeaf(value)) return;
  if (!isPlainObject(value)) throw new UnsupportedFilterError(`${path}: unsupported value ${JSON.stringify(value)}`);
  const keys = Object.keys(value);
  const operator = keys[0];
  const operand = operator === undefined ? undefined : value[operator];
  const valid =
    keys.length === 1 &&
    ((operator === 'prefix' && typeof operand === 'string') ||
      (operator === 'exists' && typeof operand === 'boolean') ||
      (operator === 'anything-but' &&
        Array.isArray(operand) &&
        operand.every((item) => typeof item === 'string' || typeof item === 'number')));
  if (!valid) throw new UnsupportedFilterError(`${path}: unsupported operator ${JSON.stringify(value)}`);
}

function matchesNode(pattern: FilterPattern, node: unknown): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    const children = flatten(isPlainObject(node) ? node[key] : undefined);
    if (Array.isArray(rule)) {
      return matchesLeafRule(rule as readonly FilterValue[], children.filter(isLeaf));
    }
    const nested = rule as FilterPattern;
    // An absent field can still satisfy a nested pattern made only of `{ exists: false }` rules.
    if (children.length === 0) return matchesNode(nested, undefined);
    return children.some((child) => matchesNode(nested, child));
  });
}

/** The values a record holds at one key: nothing when absent, each element when it is an array. */
function flatten(value: unknown): unknown[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap((element: unknown) => flatten(element));
  return [value];
}

function matchesLeafRule(accepted: readonly FilterValue[], leaves: readonly Leaf[]): boolean {
  return accepted.some((matcher) => {
    if (typeof matcher === 'object' && matcher !== null && 'exists' in matcher) {
      return matcher.exists ? leaves.length > 0 : leaves.length === 0;
    }
    return leaves.some((leaf) => matchesLeaf(matcher, leaf));
  });
}

function matchesLeaf(matcher: FilterValue, leaf: Leaf): boolean {
  if (isLeaf(matcher)) return matcher === leaf;
  if ('prefix' in matcher) return typeof leaf === 'string' && leaf.startsWith(matcher.prefix);
  if ('anything-but' in matcher) return !matcher['anything-but'].some((excluded) => excluded === leaf);
  throw new UnsupportedFilterError(`unsupported filter operator ${JSON.stringify(matcher)}`);
}

function isLeaf(value: unknown): value is Leaf {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
