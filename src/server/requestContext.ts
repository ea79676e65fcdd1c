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

/** Masks a header the copy holds (its callers check that it does). */
function maskHeader(headers: MaskedHeaders, name: string): void {
  const scheme = name === 'cookie' ? '' : /^\S+(?=\s)/.exec(String(headers[name]))?.[0];
  setOwn(headers, name, scheme ? `${scheme} ${MASK}` : MASK);
}

function maskPresent(copy: MaskedHeaders, names: readonly string[]): void {
  for (let i = 0; i < names.length; i++) {
    if (Object.prototype.hasOwnProperty.call(copy, names[i])) {
      maskHeader(copy, names[i]);
    }
  }
}

function maskOwnCopy(copy: MaskedHeaders, secretHeaders: readonly string[]): MaskedHeaders {
  maskPresent(copy, MASKED_REQUEST_HEADERS);
  maskPresent(copy, secretHeaders);
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
 * How to copy a template no request holds (plain data: strings, arrays, plain objects, no `undefined`), worked out
 * once: an object by one spread plus a copy of each of its nested values, an array item by item, the rest as it is.
 * A spread keeps every key (`__proto__` too) an own property.
 */
type CopyPlan =
  | { kind: 'value'; value: unknown }
  | { kind: 'object'; value: Record<string, unknown>; nested: Array<{ key: string; plan: CopyPlan }> }
  | { kind: 'array'; items: CopyPlan[] };

function planOf(value: unknown): CopyPlan {
  if (value === null || typeof value !== 'object') {
    return { kind: 'value', value };
  }
  if (Array.isArray(value)) {
    return { kind: 'array', items: value.map(planOf) };
  }
  const object = value as Record<string, unknown>;
  const nested = Object.keys(object)
    .filter((key) => object[key] !== null && typeof object[key] === 'object')
    .map((key) => ({ key, plan: planOf(object[key]) }));
  return { kind: 'object', value: object, nested };
}

function copyOf(plan: CopyPlan): unknown {
  switch (plan.kind) {
    case 'value':
      return plan.value;
    case 'array': {
      const copy = new Array<unknown>(plan.items.length);
      for (let i = 0; i < plan.items.length; i++) {
        copy[i] = copyOf(plan.items[i]);
      }
      return copy;
    }
    case 'object': {
      const copy: Record<string, unknown> = { ...plan.value };
      for (let i = 0; i < plan.nested.length; i++) {
        setOwn(copy, plan.nested[i].key, copyOf(plan.nested[i].plan));
      }
      return copy;
    }
    default: {
      const unknownPlan: never = plan;
      throw new Error(`Unknown copy plan ${JSON.stringify(unknownPlan)}`);
    }
  }
}

/**
 * Query strings already seen, with what they gave: each request gets its own deep copy, as the engine may be handed
 * the context. A flat query (the usual one) is copied by one spread of its template. Long query strings are not kept,
 * and a full cache starts again.
 */
class QueryCache {
  private readonly plans = new Map<string, CopyPlan>();

  get(querystring: string): Record<string, unknown> | undefined {
    const plan = this.plans.get(querystring);
    return plan && (copyOf(plan) as Record<string, unknown>);
  }

  set(querystring: string, value: Record<string, unknown>): void {
    if (querystring.length > CACHED_QUERY_MAX_LENGTH) {
      return;
    }
    if (this.plans.size >= PARSED_QUERIES_MAX) {
      this.plans.clear();
    }
    // Through JSON: the template is the query as the stored context will hold it (no `undefined` values).
    this.plans.set(querystring, planOf(JSON.parse(JSON.stringify(value))));
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

/** Whether `paths` was split from `rows` as they are now (a plain loop: it runs for every request). */
function splitFrom(paths: RowPath[], rows: PathRow[]): boolean {
  if (paths.length !== rows.length) {
    return false;
  }
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row.key !== paths[i].key || (row._var || row.key) !== paths[i].name) {
      return false;
    }
  }
  return true;
}

function pathsOf(rows: PathRow[]): RowPath[] {
  let paths = rowPaths.get(rows);
  // A rows array edited in place (not by the plugin, which gets a new config with each save) is split again.
  if (!paths || !splitFrom(paths, rows)) {
    paths = rows.map((row) => ({ name: row._var || row.key, key: row.key, path: toPath(row.key) }));
    rowPaths.set(rows, paths);
  }
  return paths;
}

/**
 * Adds each row's value in `source` to `target`, as lodash.get with the key itself first (a key held as it is,
 * `"a.b": 1`, wins). All values are read before any is written, so a row named like a key another row reads through
 * reads the input even when `target` is `source`.
 */
function addRows(target: Record<string, unknown>, source: unknown, paths: RowPath[]): Record<string, unknown> {
  const isObject = source !== null && typeof source === 'object';
  const values = new Array<unknown>(paths.length);
  for (let i = 0; i < paths.length; i++) {
    const { key, path } = paths[i];
    values[i] = isObject && key in (source as object) ? (source as Record<string, unknown>)[key] : get(source, path);
  }
  for (let i = 0; i < paths.length; i++) {
    setOwn(target, paths[i].name, values[i]);
  }
  return target;
}

/** The parsed input plus one entry per configured row: `_var` (or the key itself) -> value at the row's path. */
export function mapRows(source: unknown, rows: PathRow[] | undefined): unknown {
  if (!rows?.length) {
    return source;
  }
  const paths = pathsOf(rows);
  // Arrays become index-keyed objects so that both `[0].a` paths and the row variables resolve.
  const mapped: Record<string, unknown> = {};
  if (source !== null && typeof source === 'object') {
    for (const key of Object.keys(source)) {
      setOwn(mapped, key, (source as Record<string, unknown>)[key]);
    }
  }
  return addRows(mapped, source, paths);
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
  return addRows(source as Record<string, unknown>, source, pathsOf(rows));
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
