/** A request-log row waiting to be written, with the limit its workflow keeps (unknown until the key is looked up). */
export interface LimitedEntry {
  row: { workflowKey: string; createdAt: Date };
  limit?: number;
}

/**
 * The entries that pruning would keep if they were all written first: per key, the `limit` newest by arrival (on a
 * tie, the later entry, which would get the later id), in their original order. The limit of a key is that of its
 * last entry, the one the pruning after the write uses. Entries without a limit are all kept.
 *
 * Under a sustained load a write holds more rows of a key than it keeps: each older one would cost its share of an
 * INSERT and of a DELETE, and on SQLite the one writer the acknowledgements wait for.
 */
export function newestPerKey<T extends LimitedEntry>(entries: readonly T[]): T[] {
  const byKey = new Map<string, { limit: number; indexes: number[] }>();
  entries.forEach((entry, index) => {
    if (entry.limit === undefined) {
      return;
    }
    const group = byKey.get(entry.row.workflowKey);
    if (group) {
      group.limit = entry.limit;
      group.indexes.push(index);
    } else {
      byKey.set(entry.row.workflowKey, { limit: entry.limit, indexes: [index] });
    }
  });
  const dropped = new Set<number>();
  for (const { limit, indexes } of byKey.values()) {
    if (indexes.length <= limit) {
      continue;
    }
    const oldestFirst = [...indexes].sort(
      (a, b) => entries[a].row.createdAt.getTime() - entries[b].row.createdAt.getTime() || a - b,
    );
    oldestFirst.slice(0, indexes.length - limit).forEach((index) => dropped.add(index));
  }
  return dropped.size ? entries.filter((_, index) => !dropped.has(index)) : [...entries];
}
