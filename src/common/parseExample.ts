import { XMLValidator } from 'fast-xml-parser';

import { collectPaths, TooManyPathsError } from './paths';
import { parseQueryWithLimits } from './queryString';
import type { BodyType, PathRow } from './types';
import { createXmlParser, XML_VALIDATOR_OPTIONS } from './xmlBody';

/** Rows one Parse may generate; a bigger example is refused rather than flooding the panel. */
export const EXAMPLE_PATH_LIMIT = 500;

export type ExampleErrorCode =
  | 'empty'
  | 'noQuery'
  | 'queryLimits'
  | 'formLimits'
  | 'invalidJson'
  | 'invalidXml'
  | 'notContainer'
  | 'noPaths'
  | 'tooLarge';

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

/** Form body example -> paths, parsed as the server parses `application/x-www-form-urlencoded` (qs, same limits). */
export function parseFormExample(text: string): string[] {
  if (!text.trim()) {
    throw new ExampleError('empty');
  }
  let value: Record<string, unknown>;
  try {
    value = parseQueryWithLimits(text.trim());
  } catch (error) {
    throw new ExampleError('formLimits', (error as Error).message);
  }
  return pathsOf(value);
}

const xmlParser = createXmlParser();

/** `<?xml version="1.0"?>` and other processing instructions parse as `?xml` keys: not data, so they get no rows. */
function withoutProcessingInstructions(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    return value;
  }
  return Object.fromEntries(Object.entries(value).filter(([key]) => !key.startsWith('?')));
}

/**
 * XML example -> paths, parsed as the server parses XML bodies (shared options): `<order id="7"><status>paid</status>
 * </order>` gives `order`, `order.status`, `order.@_id`.
 */
export function parseXmlExample(text: string): string[] {
  const xml = text.trim();
  if (!xml) {
    throw new ExampleError('empty');
  }
  const valid = XMLValidator.validate(xml, XML_VALIDATOR_OPTIONS);
  if (valid !== true) {
    throw new ExampleError('invalidXml', `${valid.err.msg} (line ${valid.err.line})`);
  }
  let value: unknown;
  try {
    value = xmlParser.parse(xml);
  } catch (error) {
    throw new ExampleError('invalidXml', (error as Error).message);
  }
  return pathsOf(withoutProcessingInstructions(value));
}

/** Body types an example can be pasted as; a multipart body needs its boundary and is not pasted. */
export type ExampleBodyType = Exclude<BodyType, 'multipart'>;

/**
 * The type a pasted body most likely has: XML starts with `<`, JSON (as the server accepts it) with `{` or `[`, a
 * form is one line of `name=value` pairs; anything else is text. Ambiguous text can be given its type explicitly.
 */
export function detectBodyType(text: string): ExampleBodyType {
  const trimmed = text.trim();
  if (trimmed.startsWith('<')) {
    return 'xml';
  }
  if (/^[[{]/.test(trimmed)) {
    return 'json';
  }
  return trimmed.includes('=') && !/\s/.test(trimmed) ? 'form' : 'text';
}

const BODY_EXAMPLE_PARSERS: Record<ExampleBodyType, (text: string) => string[]> = {
  json: parseJsonExample,
  form: parseFormExample,
  xml: parseXmlExample,
  // A text body is one string: there is nothing to address inside it.
  text: () => [],
};

export interface BodyExample {
  type: ExampleBodyType;
  /** Empty for a text body. */
  paths: string[];
}

/** A body example of the given type, or of the detected one (`auto`), -> its type and paths. */
export function parseBodyExample(text: string, type: ExampleBodyType | 'auto' = 'auto'): BodyExample {
  if (!text.trim()) {
    throw new ExampleError('empty');
  }
  const bodyType = type === 'auto' ? detectBodyType(text) : type;
  return { type: bodyType, paths: BODY_EXAMPLE_PARSERS[bodyType](text) };
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
