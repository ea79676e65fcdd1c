import type { Context, Next } from 'koa';

import type { HttpAnswer } from '../common/types';
import { applyHttpAnswer } from './httpAnswer';
import { errorAnswer } from './syncAnswer';

const WEBHOOK_PATH = /\/webhook:trigger(\/|$)/;

interface BodyReadError {
  type?: string;
  status?: number;
  limit?: number;
  message?: string;
}

/** Turns koa-bodyparser's (raw-body's) errors into answers a sender can act on; null for any other error. */
export function describeBodyError(error: unknown): HttpAnswer | null {
  const { type, status, limit, message = '' } = (error ?? {}) as BodyReadError;
  // co-body rethrows JSON.parse's SyntaxError (and its strict-mode refusal) with status 400 and no type.
  if (status === 400 && (error instanceof SyntaxError || /invalid JSON/i.test(message))) {
    return errorAnswer(400, `The request body is not valid JSON (an object or an array is expected): ${message}`);
  }
  switch (type) {
    case 'entity.parse.failed':
      return errorAnswer(400, 'The request body could not be parsed');
    case 'entity.too.large':
      return errorAnswer(413, `The request body is larger than the limit of ${limit} bytes`);
    case 'request.size.invalid':
      return errorAnswer(400, 'The request body length does not match its Content-Length header');
    case 'request.aborted':
      return errorAnswer(400, 'The request was aborted before its body was complete');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return errorAnswer(415, 'The request body has an unsupported content encoding or charset');
    default:
      return status && status >= 400 && status < 500 && type?.startsWith('entity.')
        ? errorAnswer(status, 'The request body could not be read')
        : null;
  }
}

/** Runs before the body parser, on webhook URLs only, so that a third party gets a readable JSON error. */
export async function webhookBodyErrors(ctx: Context, next: Next): Promise<void> {
  if (!WEBHOOK_PATH.test(ctx.path)) {
    return next();
  }
  try {
    await next();
  } catch (error) {
    const answer = describeBodyError(error);
    if (!answer) {
      throw error;
    }
    applyHttpAnswer(ctx, answer);
  }
}
