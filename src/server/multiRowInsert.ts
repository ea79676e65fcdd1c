import type { Database } from '@nocobase/database';

interface InsertColumn {
  attribute: string;
  column: string;
  /** SQLite: a date as Sequelize writes it (text with the offset; the driver alone would store milliseconds). */
  stringify?: (value: Date) => string;
}

/** Where the rows of a collection go: its quoted table and the column of each attribute (underscored or not). */
export interface InsertShape {
  table: string;
  columns: InsertColumn[];
}

const UTC = new Set(['+00:00', 'Z', 'UTC', 'Etc/UTC']);
const pad = (value: number, length = 2) => String(value).padStart(length, '0');

/** What Sequelize writes for a date in UTC (`YYYY-MM-DD HH:mm:ss.SSS +00:00`), without moment's cost per value. */
export function utcText(date: Date): string {
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.` +
    `${pad(date.getUTCMilliseconds(), 3)} +00:00`
  );
}

interface AttributeType {
  key?: string;
  stringify?: (value: unknown, options: { timezone?: string }) => string;
}

export function insertShapeOf(db: Database, collectionName: string, attributes: readonly string[]): InsertShape {
  const collection = db.getCollection(collectionName);
  const definitions = collection.model.getAttributes() as Record<string, { field?: string; type?: AttributeType }>;
  const { timezone } = (db.sequelize as unknown as { options: { timezone?: string } }).options;
  const sqlite = db.options.dialect === 'sqlite';
  return {
    table: collection.quotedTableName() as string,
    columns: attributes.map((attribute) => {
      const { field, type } = definitions[attribute] ?? {};
      const stringify = !sqlite || type?.key !== 'DATE' || !type.stringify
        ? undefined
        : UTC.has(timezone ?? '+00:00')
          ? utcText
          : (value: Date) => type.stringify!(value, { timezone });
      return { attribute, column: field ?? attribute, stringify };
    }),
  };
}

/**
 * One INSERT of many rows with bound parameters: a single statement, so it commits on its own, and without the model
 * layer, which for a batch costs more CPU than the requests themselves (instances, hooks, escaping). The model's
 * create hooks do not run: the caller fills every value they would have filled (ids, timestamps).
 */
export function multiRowInsert(
  db: Database,
  shape: InsertShape,
  rows: ReadonlyArray<Record<string, unknown>>,
): { sql: string; bind: unknown[] } {
  const bind: unknown[] = [];
  const tuples = rows.map(
    (row) =>
      `(${shape.columns
        .map(({ attribute, stringify }) => {
          const value = row[attribute] ?? null;
          return `$${bind.push(stringify && value instanceof Date ? stringify(value) : value)}`;
        })
        .join(',')})`,
  );
  const names = shape.columns.map(({ column }) => db.quoteIdentifier(column)).join(',');
  return { sql: `INSERT INTO ${shape.table} (${names}) VALUES ${tuples.join(',')}`, bind };
}
