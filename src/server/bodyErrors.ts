import type { HttpAnswer } from '../common/types';
import { errorAnswer } from './syncAnswer';

interface BodyReadError {
  type?: string;
  status?: number;
  limit?: number;
  message?: string;
}

/** Turns raw-body's errors (size, length, encoding) into answers a sender can act on; null for any other error. */
export function describeBodyError(error: unknown): HttpAnswer | null {
  const { type, status, limit, message = '' } = (error ?? {}) as BodyReadError;
  switch (type) {
    case 'entity.parse.failed':
      return errorAnswer(400, message ? `The request body could not be parsed: ${message}` : 'The request body could not be parsed');
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
