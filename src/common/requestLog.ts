import type { RequestLogConfig } from './types';

/** The collection (and resource) holding the per-workflow request log. */
export const REQUEST_LOG_COLLECTION = 'workflowWebhookRequestLogs';
export const REQUEST_LOG_LIST_ACTION = 'list';

/** On by default without bodies: status, check and timing help debugging a sender and reveal no payload. */
export const DEFAULT_REQUEST_LOG: Required<RequestLogConfig> = { enabled: true, limit: 100, captureBody: false };
export const REQUEST_LOG_LIMIT_MAX = 10_000;
/** A captured body is cut to this many bytes (as received, before decoding to text). */
export const REQUEST_LOG_BODY_MAX_BYTES = 64 * 1024;

/** The settings a workflow's request log runs with: absent values (or no `requestLog` at all) are the defaults. */
export function requestLogSettings(config: Partial<RequestLogConfig> | null | undefined): Required<RequestLogConfig> {
  return {
    enabled: config?.enabled ?? DEFAULT_REQUEST_LOG.enabled,
    limit: config?.limit ?? DEFAULT_REQUEST_LOG.limit,
    captureBody: config?.captureBody ?? DEFAULT_REQUEST_LOG.captureBody,
  };
}

export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx';

/** A `status` filter of the list action for a class of statuses, e.g. 4xx -> 400 <= status < 500. */
export function statusClassFilter(statusClass: StatusClass): { $gte: number; $lt: number } {
  const first = Number(statusClass[0]) * 100;
  return { $gte: first, $lt: first + 100 };
}

/** One logged request, as the list action returns it. */
export interface RequestLogEntry {
  id: string | number;
  workflowId: string | number | null;
  workflowKey: string;
  createdAt: string;
  method: string;
  status: number;
  /** The check that refused the request (`basic`, `signature`, `rate-limit`, `not-found`, `body`...), if one did. */
  check: string | null;
  /** The answer's error message, for refused requests. */
  message: string | null;
  ip: string | null;
  requestBytes: number;
  durationMs: number;
  executionId: string | number | null;
  replayed: boolean;
  /** The raw body text (cut to REQUEST_LOG_BODY_MAX_BYTES), only while `captureBody` is on. */
  body: string | null;
}
