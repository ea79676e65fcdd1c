import type { IncomingHttpHeaders } from 'node:http';
import { get, toPath } from 'lodash';
import { MASK, MASKED_REQUEST_HEADERS, QUERY_DEPTH_LIMIT, QUERY_PARAMETER_LIMIT } from '../common/constants';
import { parseQueryWithLimits } from '../common/queryString';
import type { PathRow, RequestHeaders, WebhookContext, WebhookRequestConfig } from '../common/types';

export class QueryStringError extends Error {
  readonly status = 400;
}

export interface IncomingWebhookRequest {
  headers: IncomingHttpHeaders;
  querystring: string;
  body: unknown;
}

type MaskedHeaders = Record<string, string | string[]>;

function maskHeader(headers: MaskedHeaders, name: string): void {
  if (!Object.prototype.hasOwnProperty.call(headers, name)) {
    return;
  }
  const scheme = name === 'cookie' ? '' : /^\S+(?=\s)/.exec(String(headers[name]))?.[0];
  setOwn(headers, name, scheme ? `${scheme} ${MASK}` : MASK);
}

function maskOwnCopy(copy: MaskedHeaders, secretHeaders: readonly string[]): MaskedHeaders {
  for (const name of MASKED_REQUEST_HEADERS) {
    maskHeader(copy, name);
  }
  for (const name of secretHeaders) {
    maskHeader(copy, name);
  }
  return copy;
}

/**
 * Header values that are secrets of the sender are replaced, keeping the scheme so the log still says which kind.
 * `secretHeaders` (lower case) adds the headers a trigger reads its token or JWT from. Names are lower-cased (a manual
 * run's hand-written request may have any case) and undefined values left out.
 */
export function maskHeaders(headers: RequestHeaders, secretHeaders: readonly string[] = []): MaskedHeaders {
  const copy: MaskedHeaders = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value !== undefined) {
      setOwn(copy, name.toLowerCase(), value);
    }
  }
  return maskOwnCopy(copy, secretHeaders);
}

/**
 * `maskHeaders` for the headers of Node's `IncomingMessage`, whose names are lower case and whose values are never
 * undefined: copied in one spread, where storing each key had cost about 0.5 µs in the bench's profile.
 */
export function maskIncomingHeaders(headers: IncomingHttpHeaders, secretHeaders: readonly string[] = []): MaskedHeaders {
  return maskOwnCopy({ ...headers } as MaskedHeaders, secretHeaders);
}

const PARSED_QUERIES_MAX = 256;
const CACHED_QUERY_MAX_LENGTH = 2_048;

/**
 * What qs gave for a query string, kept as a template no request holds: plain data (strings, arrays, plain objects),
 * without `undefined` values (as the stored context has none). `nested` names the keys whose values are objects.
 */
interface QueryTemplate {
  value: Record<string, unknown>;
  nested: string[];
}

function templateOf(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

function nestedKeysOf(value: Record<string, unknown>): string[] {
  return Object.keys(value).filter((key) => value[key] !== null && typeof value[key] === 'object');
}

/** A deep copy of plain data; a spread copies an object in one step and keeps every key (`__proto__` too) its own. */
function copyPlain(value: unknown, nested?: string[]): unknown {
  if (value === null || typeof value !== 'object') {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => copyPlain(item));
  }
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = { ...source };
  for (const key of nested ?? nestedKeysOf(source)) {
    setOwn(copy, key, copyPlain(source[key]));
  }
  return copy;
}

/**
 * Query strings already seen, with what they gave: each request gets its own deep copy, as the engine may be handed
 * the context. A flat query (the usual one) is copied by one spread of its template. Long query strings are not kept,
 * and a full cache starts again.
 */
class QueryCache {
  private readonly templates = new Map<string, QueryTemplate>();

  get(querystring: string): Record<string, unknown> | undefined {
    const template = this.templates.get(querystring);
    return template && (copyPlain(template.value, template.nested) as Record<string, unknown>);
  }

  set(querystring: string, value: Record<string, unknown>): void {
    if (querystring.length > CACHED_QUERY_MAX_LENGTH) {
      return;
    }
    if (this.templates.size >= PARSED_QUERIES_MAX) {
      this.templates.clear();
    }
    const template = templateOf(value) as Record<string, unknown>;
    this.templates.set(querystring, { value: template, nested: nestedKeysOf(template) });
  }
}

/** Senders post to the URL they were given, so the same query string comes again and again: qs parses it once. */
const parsedQueries = new QueryCache();

export function parseQueryString(querystring: string): Record<string, unknown> {
  const cached = parsedQueries.get(querystring);
  if (cached) {
    return cached;
  }
  let parsed: Record<string, unknown>;
  try {
    parsed = parseQueryWithLimits(querystring);
  } catch (error) {
    throw new QueryStringError(
      `Query string rejected: ${(error as Error).message} (at most ${QUERY_PARAMETER_LIMIT} parameters, ${QUERY_DEPTH_LIMIT} levels)`,
    );
  }
  parsedQueries.set(querystring, parsed);
  return parsed;
}

/**
 * Sets a key as an own data property, as the input has it: assigning `__proto__` would call Object.prototype's setter
 * instead. Request data lands in plain `{}` objects. Under the bench's profile a key stored cost about 0.5 µs either
 * in these or in the dictionary-mode `Object.create(null)` objects given `Object.prototype` afterwards that they
 * replaced (a loop inside a running app had measured these 3x as fast): what made the difference was storing fewer keys.
 */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

interface RowPath {
  name: string;
  key: string;
  path: string[];
}

/** Row paths split once per configuration (the index keeps one config object per workflow). */
const rowPaths = new WeakMap<PathRow[], RowPath[]>();

function pathsOf(rows: PathRow[]): RowPath[] {
  let paths = rowPaths.get(rows);
  // A rows array edited in place (not by the plugin, which gets a new config with each save) is split again.
  const current = (known: RowPath[]) =>
    known.length === rows.length && rows.every((row, i) => row.key === known[i].key && (row._var || row.key) === known[i].name);
  if (!paths || !current(paths)) {
    paths = rows.map((row) => ({ name: row._var || row.key, key: row.key, path: toPath(row.key) }));
    rowPaths.set(rows, paths);
  }
  return paths;
}

/** The value of each row in `source`: as lodash.get with the key itself first (a key held as it is, `"a.b": 1`, wins). */
function rowValues(source: unknown, paths: RowPath[]): unknown[] {
  const isObject = source !== null && typeof source === 'object';
  return paths.map(({ key, path }) => (isObject && key in (source as object) ? get(source, [key]) : get(source, path)));
}

function addRows(target: Record<string, unknown>, paths: RowPath[], values: unknown[]): Record<string, unknown> {
  paths.forEach(({ name }, i) => setOwn(target, name, values[i]));
  return target;
}

/** The parsed input plus one entry per configured row: `_var` (or the key itself) -> value at the row's path. */
export function mapRows(source: unknown, rows: PathRow[] | undefined): unknown {
  if (!rows?.length) {
    return source;
  }
  const paths = pathsOf(rows);
  const values = rowValues(source, paths);
  // Arrays become index-keyed objects so that both `[0].a` paths and the row variables resolve.
  const mapped: Record<string, unknown> = {};
  if (source !== null && typeof source === 'object') {
    for (const key of Object.keys(source)) {
      setOwn(mapped, key, (source as Record<string, unknown>)[key]);
    }
  }
  return addRows(mapped, paths, values);
}

/**
 * `mapRows` for an input this request owns (the body it just parsed): a plain object gets the rows itself instead of
 * a copy of its keys first; each key stored was a measurable cost in the running app (about 0.5 µs when profiled).
 * The values are all read before any is written, so a row named like a key another row reads through reads the input.
 */
export function mapOwnRows(source: unknown, rows: PathRow[] | undefined): unknown {
  if (!rows?.length || source === null || typeof source !== 'object' || Array.isArray(source)) {
    return mapRows(source, rows);
  }
  const paths = pathsOf(rows);
  return addRows(source as Record<string, unknown>, paths, rowValues(source, paths));
}

/** Per configuration (its row paths), the query strings seen with their mapped query. */
const mappedQueries = new WeakMap<RowPath[], QueryCache>();

/**
 * The query string parsed and mapped to the rows. The result only depends on the two, and a sender posts to the URL
 * it was given: it is kept, and each request gets its own deep copy (a row without a value, `undefined`, is then
 * absent, as it is once the context is stored).
 */
export function mapQueryString(querystring: string, rows: PathRow[] | undefined): Record<string, unknown> {
  if (!rows?.length) {
    return parseQueryString(querystring);
  }
  const paths = pathsOf(rows);
  let known = mappedQueries.get(paths);
  const cached = known?.get(querystring);
  if (cached) {
    return cached;
  }
  const mapped = mapOwnRows(parseQueryString(querystring), rows) as Record<string, unknown>;
  if (!known) {
    known = new QueryCache();
    mappedQueries.set(paths, known);
  }
  known.set(querystring, mapped);
  return mapped;
}

/** The execution's context; `request.body` is the body this request parsed, and receives the body rows itself. */
export function buildWebhookContext(
  request: IncomingWebhookRequest,
  config: WebhookRequestConfig = {},
  secretHeaders: readonly string[] = [],
): WebhookContext {
  return {
    headers: maskIncomingHeaders(request.headers, secretHeaders),
    query: mapQueryString(request.querystring, config.query),
    body: mapOwnRows(request.body, config.body),
  };
}
