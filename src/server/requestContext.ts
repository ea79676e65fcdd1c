import { get } from 'lodash';
import { MASK, MASKED_REQUEST_HEADERS, QUERY_DEPTH_LIMIT, QUERY_PARAMETER_LIMIT } from '../common/constants';
import { parseQueryWithLimits } from '../common/queryString';
import type { PathRow, RequestHeaders, WebhookContext, WebhookRequestConfig } from '../common/types';

export class QueryStringError extends Error {
  readonly status = 400;
}

export interface IncomingWebhookRequest {
  headers: RequestHeaders;
  querystring: string;
  body: unknown;
}

/**
 * Header values that are secrets of the sender are replaced, keeping the scheme so the log still says which kind.
 * `secretHeaders` (lower case) adds the headers a trigger reads its token or JWT from.
 */
export function maskHeaders(headers: RequestHeaders, secretHeaders: readonly string[] = []): Record<string, string | string[]> {
  const masked: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) {
      continue;
    }
    const lowerName = name.toLowerCase();
    if (!MASKED_REQUEST_HEADERS.includes(lowerName) && !secretHeaders.includes(lowerName)) {
      setOwn(masked, lowerName, value);
      continue;
    }
    const scheme = lowerName === 'cookie' ? '' : /^\S+(?=\s)/.exec(String(value))?.[0];
    setOwn(masked, lowerName, scheme ? `${scheme} ${MASK}` : MASK);
  }
  return masked;
}

export function parseQueryString(querystring: string): Record<string, unknown> {
  try {
    return parseQueryWithLimits(querystring);
  } catch (error) {
    throw new QueryStringError(
      `Query string rejected: ${(error as Error).message} (at most ${QUERY_PARAMETER_LIMIT} parameters, ${QUERY_DEPTH_LIMIT} levels)`,
    );
  }
}

/**
 * Sets an own property without ever invoking a setter, so `__proto__` stays plain data. It is the only key with a
 * setter on a plain object (Object.prototype's accessor); defining every property instead costs several times more.
 */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** The parsed input plus one entry per configured row: `_var` (or the key itself) -> value at the row's path. */
export function mapRows(source: unknown, rows: PathRow[] | undefined): unknown {
  if (!rows?.length) {
    return source;
  }
  // Arrays become index-keyed objects so that both `[0].a` paths and the row variables resolve.
  const mapped: Record<string, unknown> = source !== null && typeof source === 'object' ? { ...source } : {};
  for (const row of rows) {
    setOwn(mapped, row._var || row.key, get(source, row.key));
  }
  return mapped;
}

export function buildWebhookContext(
  request: IncomingWebhookRequest,
  config: WebhookRequestConfig = {},
  secretHeaders: readonly string[] = [],
): WebhookContext {
  return {
    headers: maskHeaders(request.headers, secretHeaders),
    query: mapRows(parseQueryString(request.querystring), config.query) as Record<string, unknown>,
    body: mapRows(request.body, config.body),
  };
}
