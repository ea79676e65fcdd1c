import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { Context } from 'koa';
import { parse as parseSecureJson } from '@hapi/bourne';
import getRawBody from 'raw-body';

import { parseQueryWithLimits } from '../common/queryString';
import type { HttpAnswer } from '../common/types';
import { describeBodyError } from './bodyErrors';

// RFC 8259 whitespace, then an object or an array: what koa-bodyparser's strict mode accepts.
const STRICT_JSON_START = /^[\x20\x09\x0a\x0d]*[[{]/;

type RequestWithRawBytes = Context['request'] & { body?: unknown; rawBody?: string; rawBytes?: Buffer };

class BodyError extends Error {
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

function decodedStream(ctx: Context): Readable {
  const encoding = (ctx.get('content-encoding') || 'identity').toLowerCase();
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
      throw new BodyError(`Unsupported content encoding "${encoding}"`, 415, 'encoding.unsupported');
  }
}

async function readRawBytes(ctx: Context): Promise<Buffer> {
  const identity = !ctx.get('content-encoding') || ctx.get('content-encoding').toLowerCase() === 'identity';
  const length = ctx.get('content-length');
  return getRawBody(decodedStream(ctx), {
    limit: process.env.REQUEST_BODY_LIMIT || '10mb',
    length: identity && length ? Number(length) : undefined,
  });
}

function parseJson(text: string): unknown {
  if (!text) {
    return {};
  }
  if (!STRICT_JSON_START.test(text)) {
    throw Object.assign(new SyntaxError('invalid JSON, only supports object and array'), { status: 400 });
  }
  try {
    return parseSecureJson(text, { protoAction: 'error' }) as unknown;
  } catch (error) {
    throw Object.assign(error as Error, { status: 400 });
  }
}

function parseForm(text: string): unknown {
  try {
    return parseQueryWithLimits(text);
  } catch (error) {
    throw new BodyError(`The form body was refused: ${(error as Error).message}`, 400, 'entity.parse.failed');
  }
}

/** JSON and form bodies are parsed as koa-bodyparser would; any other type leaves `{}` and the raw bytes. */
export function parseBody(ctx: Context, bytes: Buffer): unknown {
  if (!bytes.length) {
    return {};
  }
  if (ctx.is('json', '+json')) {
    return parseJson(bytes.toString('utf8'));
  }
  if (ctx.is('urlencoded')) {
    return parseForm(bytes.toString('utf8'));
  }
  return {};
}

/**
 * Reads a webhook body itself, before NocoBase's body parser (which then skips it): signatures are checked over the
 * exact bytes received. Returns the answer for a body that cannot be read or parsed, null once the body is in place.
 */
export async function readWebhookBody(ctx: Context): Promise<HttpAnswer | null> {
  const request = ctx.request as RequestWithRawBytes;
  if (request.rawBytes) {
    return null;
  }
  try {
    const bytes = await readRawBytes(ctx);
    request.rawBytes = bytes;
    request.rawBody = bytes.toString('utf8');
    request.body = parseBody(ctx, bytes);
    return null;
  } catch (error) {
    const answer = describeBodyError(error);
    if (!answer) {
      throw error;
    }
    return answer;
  }
}
