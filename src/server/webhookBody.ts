import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { Context } from 'koa';
import { parse as parseByteSize } from 'bytes';
import getRawBody from 'raw-body';

import type { BodyType, HttpAnswer } from '../common/types';
import { describeBodyError } from './bodyErrors';
import { BodyParseError, bodyTypeOf, isTextType, parseBodyOfType } from './bodyParsers';
import { errorAnswer } from './syncAnswer';

type RequestWithRawBytes = Context['request'] & { body?: unknown; rawBody?: string; rawBytes?: Buffer };

class BodyReadError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly type: string,
  ) {
    super(message);
  }
}

/** The exact bytes a webhook request carried (empty when it had none), for signature checks. */
export function rawBytesOf(ctx: Context): Buffer {
  return (ctx.request as RequestWithRawBytes).rawBytes ?? Buffer.alloc(0);
}

/** The bytes as UTF-8 text, decoded once per request (the parser, `$context.rawBody` and koa's `rawBody` share it). */
export function rawTextOf(ctx: Context): string {
  const request = ctx.request as RequestWithRawBytes;
  request.rawBody ??= rawBytesOf(ctx).toString('utf8');
  return request.rawBody;
}

const DEFAULT_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

/**
 * `REQUEST_BODY_LIMIT` in bytes (`10mb` unless set). A setting `bytes` cannot read keeps the default limit rather than
 * none (raw-body applies no limit for `null`).
 */
export function bodyLimitFromSetting(setting: string | undefined): number {
  return (setting && parseByteSize(setting)) || DEFAULT_BODY_LIMIT_BYTES;
}

function decodedStream(ctx: Context, encoding: string): Readable {
  switch (encoding) {
    case 'identity':
      return ctx.req;
    case 'gzip':
      return ctx.req.pipe(createGunzip());
    case 'deflate':
      return ctx.req.pipe(createInflate());
    case 'br':
      return ctx.req.pipe(createBrotliDecompress());
    default:
      throw new BodyReadError(`Unsupported content encoding "${encoding}"`, 415, 'encoding.unsupported');
  }
}

/**
 * The body, when all of its declared bytes are buffered already: a small body arrives with its headers, and Node's
 * HTTP parser hands a message's body no further than its Content-Length, so the buffer holds the whole body. Taken
 * in one synchronous read instead of raw-body's stream listeners and promise (about 0.5% of the async webhook's CPU
 * in the bench's profile). Null when the body is still arriving (or is over the limit): raw-body reads it then.
 */
function bufferedBody(req: IncomingMessage, length: number, limitBytes: number): Buffer | null {
  if (!(length > 0) || length > limitBytes || req.readableLength !== length || req.readableFlowing) {
    return null;
  }
  return req.read() as Buffer;
}

function keepBytes(request: RequestWithRawBytes, bytes: Buffer): null {
  request.rawBytes = bytes;
  // Parsed later, once the workflow is known; a defined body makes koa-bodyparser leave the request alone.
  request.body = {};
  return null;
}

function refusalOf(error: unknown): HttpAnswer {
  const answer = describeBodyError(error);
  if (!answer) {
    throw error;
  }
  return answer;
}

async function readStreamedBody(
  ctx: Context,
  limitBytes: number,
  encoding: string,
  length: number | undefined,
): Promise<HttpAnswer | null> {
  try {
    const bytes = await getRawBody(decodedStream(ctx, encoding), { limit: limitBytes, length });
    return keepBytes(ctx.request as RequestWithRawBytes, bytes);
  } catch (error) {
    return refusalOf(error);
  }
}

/**
 * Reads a webhook body's bytes, before NocoBase's body parser (which then skips it): signatures are checked over the
 * exact bytes received. Returns the answer for a body that cannot be read, null once the bytes are in place; a promise
 * of either only while the body is still arriving (a small body is buffered already, and taken without one).
 */
export function readWebhookBody(ctx: Context, limitBytes: number): HttpAnswer | null | Promise<HttpAnswer | null> {
  const request = ctx.request as RequestWithRawBytes;
  if (request.rawBytes) {
    return null;
  }
  const { headers } = ctx.req;
  const declaredEncoding = headers['content-encoding'];
  const encoding = declaredEncoding ? declaredEncoding.toLowerCase() : 'identity';
  const length = encoding === 'identity' && headers['content-length'] ? Number(headers['content-length']) : undefined;
  const buffered = length === undefined ? null : bufferedBody(ctx.req, length, limitBytes);
  return buffered ? keepBytes(request, buffered) : readStreamedBody(ctx, limitBytes, encoding, length);
}

export type ParsedBody = { ok: true; type: BodyType | null; body: unknown } | { ok: false; type: BodyType | null; answer: HttpAnswer };

function settled(ctx: Context, type: BodyType | null, body: unknown): ParsedBody {
  (ctx.request as RequestWithRawBytes).body = body;
  return { ok: true, type, body };
}

function refused(type: BodyType | null, error: unknown): ParsedBody {
  if (error instanceof BodyParseError) {
    return { ok: false, type, answer: errorAnswer(error.status, error.message) };
  }
  throw error;
}

/**
 * Parses the bytes read by `readWebhookBody` by their Content-Type, and puts the result in `ctx.request.body`. Only a
 * multipart body is parsed asynchronously: the others are answered without a promise.
 */
export function parseWebhookBody(ctx: Context): ParsedBody | Promise<ParsedBody> {
  const contentType = ctx.req.headers['content-type'] ?? '';
  const type = bodyTypeOf(contentType);
  const bytes = rawBytesOf(ctx);
  try {
    // The text is decoded once, and shared with `$context.rawBody` and koa's `rawBody`.
    const text = bytes.length > 0 && isTextType(type) ? rawTextOf(ctx) : undefined;
    const parsing = parseBodyOfType(type, bytes, contentType, text);
    return parsing instanceof Promise
      ? parsing.then(
          (body) => settled(ctx, type, body),
          (error) => refused(type, error),
        )
      : settled(ctx, type, parsing);
  } catch (error) {
    return refused(type, error);
  }
}
