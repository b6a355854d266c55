import { tableShape } from './table';

type Item = Record<string, unknown>;

/**
 * What the table needs and no reader does: the keys of the table and its indexes, the entity
 * type, the TTL attribute. Derived from the table's shape, so a new index is stripped too.
 */
const INTERNAL_ATTRIBUTES: readonly string[] = [
  tableShape.partitionKey,
  tableShape.sortKey,
  ...tableShape.globalIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  'type',
  tableShape.timeToLiveAttribute,
];

/**
 * The one way a stored item becomes a record of the store's API: a copy without the internal
 * attributes (and `alsoInternal`, bookkeeping of one entity such as an optimistic version), typed
 * as `T`. The item was written by this store from a value of `T`, which is what makes the type
 * hold; input from outside is parsed with zod at the edge, never read through here.
 */
export function itemDecoder<T>(...alsoInternal: readonly string[]): (item: Item) => T {
  const internal = new Set([...INTERNAL_ATTRIBUTES, ...alsoInternal]);
  return (item) => Object.fromEntries(Object.entries(item).filter(([name]) => !internal.has(name))) as T;
}
