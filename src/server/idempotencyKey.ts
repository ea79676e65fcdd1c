import { createHash } from 'node:crypto';
import { get } from 'lodash';

import type { IdempotencyConfig, RequestHeaders } from '../common/types';

export const DEFAULT_IDEMPOTENCY_WINDOW_SECONDS = 86_400;

/** The delivery's idempotency key from its header or body path; null when the sender gave none. */
export function idempotencyKeyOf(config: IdempotencyConfig, headers: RequestHeaders, body: unknown): string | null {
  const raw = config.source === 'header' ? headers[config.key.toLowerCase()] : get(body, config.key);
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (typeof value === 'number' && Number.isFinite(value)) {
    return String(value);
  }
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

/**
 * The execution's event key, unique in the executions table: the database, not a per-process map, decides which of
 * two concurrent deliveries (on any node of a cluster) is the first. Hashed so any sender's key fits the column.
 */
export function idempotentEventKey(workflowKey: string, idempotencyKey: string): string {
  return `webhook:${workflowKey}:${createHash('sha256').update(idempotencyKey, 'utf8').digest('hex')}`;
}
