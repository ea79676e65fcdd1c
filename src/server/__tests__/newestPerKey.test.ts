import fc from 'fast-check';

import { newestPerKey } from '../newestPerKey';
import type { LimitedEntry } from '../newestPerKey';

interface Entry extends LimitedEntry {
  tag: number;
}

interface StoredRow {
  key: string;
  createdAt: number;
  id: number;
  tag: number;
}

/** The table as RequestLogTable keeps it: rows get increasing ids; pruning keeps the `limit` newest by (createdAt, id). */
class TableModel {
  rows: StoredRow[] = [];
  private nextId = 1;

  insert(entries: readonly Entry[]) {
    for (const { row, tag } of entries) {
      this.rows.push({ key: row.workflowKey, createdAt: row.createdAt.getTime(), id: this.nextId++, tag });
    }
  }

  prune(key: string, limit: number) {
    const kept = new Set(
      this.rows
        .filter((row) => row.key === key)
        .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id)
        .slice(0, limit),
    );
    this.rows = this.rows.filter((row) => row.key !== key || kept.has(row));
  }

  /** What a write of the batch leaves once its keys are pruned, as the recorder does. */
  write(entries: readonly Entry[]) {
    this.insert(entries);
    const limits = new Map<string, number>();
    for (const { row, limit } of entries) {
      limits.set(row.workflowKey, limit!);
    }
    limits.forEach((limit, key) => this.prune(key, limit));
  }

  tags() {
    return this.rows.map((row) => row.tag).sort((a, b) => a - b);
  }
}

const entry = (tag: number, key: string, createdAt: number, limit?: number): Entry => ({
  tag,
  row: { workflowKey: key, createdAt: new Date(createdAt) },
  limit,
});

describe('server/newestPerKey', () => {
  it('keeps the newest rows of a key over its limit, in their order, and every row of the other keys', () => {
    const batch = [entry(1, 'a', 10, 2), entry(2, 'b', 11, 2), entry(3, 'a', 30, 2), entry(4, 'a', 20, 2), entry(5, 'c', 5)];
    expect(newestPerKey(batch).map(({ tag }) => tag)).toEqual([2, 3, 4, 5]);
  });

  it('keeps the later of two rows that arrived in the same millisecond', () => {
    expect(newestPerKey([entry(1, 'a', 10, 1), entry(2, 'a', 10, 1)]).map(({ tag }) => tag)).toEqual([2]);
  });

  it('uses the limit of the last row of a key', () => {
    const batch = [entry(1, 'a', 1, 1), entry(2, 'a', 2, 1), entry(3, 'a', 3, 2)];
    expect(newestPerKey(batch).map(({ tag }) => tag)).toEqual([2, 3]);
  });

  it('leaves the table as writing every row and pruning would, batch after batch', () => {
    const batchArbitrary = fc.array(
      fc.record({ key: fc.constantFrom('a', 'b', 'c'), createdAt: fc.integer({ min: 0, max: 40 }) }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(fc.array(batchArbitrary, { maxLength: 6 }), fc.integer({ min: 1, max: 6 }), (batches, limit) => {
        const everything = new TableModel();
        const trimmed = new TableModel();
        let tag = 0;
        for (const batch of batches) {
          const entries = batch.map(({ key, createdAt }) => entry(tag++, key, createdAt, limit));
          everything.write(entries);
          trimmed.write(newestPerKey(entries));
          expect(trimmed.tags()).toEqual(everything.tags());
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
