import { collectPaths, TooManyPathsError } from './paths';
import { parseQueryWithLimits } from './queryString';
import type { PathRow } from './types';

/** Rows one Parse may generate; a bigger example is refused rather than flooding the panel. */
export const EXAMPLE_PATH_LIMIT = 500;

export type ExampleErrorCode = 'empty' | 'noQuery' | 'queryLimits' | 'invalidJson' | 'notContainer' | 'noPaths' | 'tooLarge';

/** Why an example cannot be parsed; `code` picks the message shown under the example, `detail` adds the parser's. */
export class ExampleError extends Error {
  constructor(
    readonly code: ExampleErrorCode,
    readonly detail?: string,
  ) {
    super(detail ? `${code}: ${detail}` : code);
  }
}

export type RowKind = 'query' | 'body';

function pathsOf(value: unknown): string[] {
  let paths: string[];
  try {
    paths = collectPaths(value, { limit: EXAMPLE_PATH_LIMIT });
  } catch (error) {
    if (error instanceof TooManyPathsError) {
      throw new ExampleError('tooLarge', String(EXAMPLE_PATH_LIMIT));
    }
    throw error;
  }
  if (!paths.length) {
    throw new ExampleError('noPaths');
  }
  return paths;
}

/** The query part of a full URL (`https://host/path?a=1#top`), of `?a=1`, or the text itself (`a=1&b[c]=2`). */
export function extractQueryString(text: string): string {
  const trimmed = text.trim();
  const withoutFragment = trimmed.split('#')[0];
  const questionMark = withoutFragment.indexOf('?');
  if (questionMark >= 0) {
    return withoutFragment.slice(questionMark + 1);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(withoutFragment) || withoutFragment.startsWith('/')) {
    throw new ExampleError('noQuery');
  }
  return withoutFragment;
}

/** Parses a query string exactly as the server does (qs with the same limits). */
export function parseQueryString(querystring: string): Record<string, unknown> {
  try {
    return parseQueryWithLimits(querystring);
  } catch (error) {
    throw new ExampleError('queryLimits', (error as Error).message);
  }
}

/** Query example -> paths: `?a=1&b[c]=2&query[0][a]=x` gives `a`, `b`, `b.c`, `query`, `query[0]`, `query[0].a`. */
export function parseQueryExample(text: string): string[] {
  if (!text.trim()) {
    throw new ExampleError('empty');
  }
  const querystring = extractQueryString(text);
  if (!querystring.trim()) {
    throw new ExampleError('noQuery');
  }
  return pathsOf(parseQueryString(querystring));
}

/** JSON example -> paths: `{"a": 1, "b": {"c": 2}}` gives `a`, `b`, `b.c`; a top-level array gives `[0]`, `[0].id`. */
export function parseJsonExample(text: string): string[] {
  if (!text.trim()) {
    throw new ExampleError('empty');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ExampleError('invalidJson', (error as Error).message);
  }
  if (value === null || typeof value !== 'object') {
    throw new ExampleError('notContainer');
  }
  return pathsOf(value);
}

export function parseExample(kind: RowKind, text: string): string[] {
  return kind === 'query' ? parseQueryExample(text) : parseJsonExample(text);
}

function varPattern(kind: RowKind): RegExp {
  return new RegExp(`(?:^|[^\\w$])${kind}_\\$(\\d+)(?![\\w$])`, 'g');
}

/** Indexes N of every `<kind>_$N` in a text, e.g. the configs of the workflow's nodes that reference them. */
export function varIndexesIn(text: string, kind: RowKind): number[] {
  return [...text.matchAll(varPattern(kind))].map((match) => Number(match[1])).filter(Number.isSafeInteger);
}

/** The first N not used by any row (nor below `floor`), so a `_var` is never handed out twice. */
export function nextVarIndex(rows: readonly PathRow[], kind: RowKind, floor = 0): number {
  const used = rows.flatMap((row) => (row._var ? varIndexesIn(row._var, kind) : []));
  return Math.max(floor, ...used.map((index) => index + 1));
}

export function varName(kind: RowKind, index: number): string {
  return `${kind}_$${index}`;
}

/**
 * Rows after a Parse: one per path of the example, in its order. A row whose key survives keeps its alias and
 * `_var` (references in later nodes keep working); new keys get fresh `_var`s from `firstFreeIndex` on.
 */
export function mergeRows(
  oldRows: readonly PathRow[],
  paths: readonly string[],
  kind: RowKind,
  firstFreeIndex = nextVarIndex(oldRows, kind),
): PathRow[] {
  const oldByKey = new Map<string, PathRow>();
  for (const row of oldRows) {
    if (!oldByKey.has(row.key)) {
      oldByKey.set(row.key, row);
    }
  }
  let next = firstFreeIndex;
  const seen = new Set<string>();
  const rows: PathRow[] = [];
  for (const key of paths) {
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    const old = oldByKey.get(key);
    const row: PathRow = { key, _var: old?._var || varName(kind, next) };
    if (!old?._var) {
      next += 1;
    }
    if (old?.alias) {
      row.alias = old.alias;
    }
    rows.push(row);
  }
  return rows;
}

/** A blank row added by hand, with its own `_var`. */
export function blankRow(rows: readonly PathRow[], kind: RowKind, floor = 0): PathRow {
  return { key: '', _var: varName(kind, nextVarIndex(rows, kind, floor)) };
}
