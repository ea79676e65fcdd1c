import { DEFAULT_ASYNC_BODY, DEFAULT_ASYNC_STATUS_CODE, TRIGGER_TYPE } from './constants';
import type { WebhookResponseConfig } from './types';

/** Whether an async trigger answers with the default `200` / `ok` (nothing set, or exactly that). */
export function isDefaultAsyncResponse(response: WebhookResponseConfig | null | undefined): boolean {
  if (!response) {
    return true;
  }
  return (
    (response.statusCode ?? DEFAULT_ASYNC_STATUS_CODE) === DEFAULT_ASYNC_STATUS_CODE &&
    !response.headers?.length &&
    (response.body === undefined || response.body === DEFAULT_ASYNC_BODY)
  );
}

export type BodyFormat = 'text' | 'json';

export function bodyFormatOf(body: unknown): BodyFormat {
  return typeof body === 'string' ? 'text' : 'json';
}

/** The body in another format: JSON text becomes its value (else `{}`), a value becomes its JSON text. */
export function convertBody(body: unknown, format: BodyFormat): unknown {
  if (format === 'text') {
    return typeof body === 'string' ? body : JSON.stringify(body ?? {}, null, 2);
  }
  if (typeof body !== 'string') {
    return body ?? {};
  }
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed !== null && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

/** The Response node can answer only in synchronous webhook workflows (the server refuses it elsewhere too). */
export function isResponseNodeAvailable(workflow: { type?: string; sync?: boolean } | null | undefined): boolean {
  return workflow?.type === TRIGGER_TYPE && Boolean(workflow.sync);
}
