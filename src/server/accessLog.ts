import type { Logger } from '@nocobase/logger';
import type { Context } from 'koa';

import { compilePathPicker } from './pathPicker';

/** What NocoBase's request logger reads from its app, and the options it is given (`logger.request`). */
export interface AccessLogApp {
  name: string;
  requestLogger?: Logger;
  options: { logger?: { request?: { requestWhitelist?: string[]; responseWhitelist?: string[] } } };
}

// NocoBase's own defaults (`@nocobase/logger` request-logger.ts), which it does not export.
const DEFAULT_REQUEST_WHITELIST = [
  'action',
  'header.x-role',
  'header.x-hostname',
  'header.x-timezone',
  'header.x-locale',
  'header.x-authenticator',
  'header.x-data-source',
  'header.x-request-source',
  'header.referer',
];
const DEFAULT_RESPONSE_WHITELIST = ['status'];
const REQUEST_SOURCE_HEADER = 'x-request-source';

/**
 * What koa's `request.toJSON()` and `response.toJSON()` return, which NocoBase's logger picks from; each field is read
 * only when a whitelisted path asks for it (koa copies every response header into a new object).
 */
class RequestJson {
  constructor(private readonly ctx: Context) {}
  get method() {
    return this.ctx.request.method;
  }
  get url() {
    return this.ctx.request.url;
  }
  get header() {
    return this.ctx.request.header;
  }
}

class ResponseJson {
  constructor(private readonly ctx: Context) {}
  get status() {
    return this.ctx.response.status;
  }
  get message() {
    return this.ctx.response.message;
  }
  get header() {
    return this.ctx.response.header;
  }
}

export type AccessLogWriter = (ctx: Context, startedAt: number) => void;

/**
 * One line per webhook request in NocoBase's request log (same logger, same file): the fields of the `response`
 * line its request-logger middleware writes, plus the whitelisted request headers of its `request` line. Webhook
 * URLs are answered before that middleware, which writes two lines per request; under load, those two lines were
 * about a quarter of the CPU of an async delivery (winston formats and writes each one synchronously).
 * 4xx answers are logged as warnings and 5xx as errors, with the answer's body, as NocoBase does.
 */
export function createAccessLogWriter(app: AccessLogApp): AccessLogWriter {
  const options = app.options.logger?.request;
  const pickRequest = compilePathPicker(options?.requestWhitelist ?? DEFAULT_REQUEST_WHITELIST);
  const pickResponse = compilePathPicker(options?.responseWhitelist ?? DEFAULT_RESPONSE_WHITELIST);
  return (ctx, startedAt) => {
    const logger = app.requestLogger;
    if (!logger) {
      return;
    }
    const status = ctx.status;
    const requestSource = ctx.get(REQUEST_SOURCE_HEADER);
    const line = {
      message: `response ${ctx.url}`,
      method: ctx.method,
      path: ctx.url,
      req: pickRequest(new RequestJson(ctx)),
      res: pickResponse(new ResponseJson(ctx)),
      status,
      cost: Date.now() - startedAt,
      app: app.name,
      ...(requestSource ? { requestSource } : {}),
      reqId: ctx.reqId,
      bodySize: ctx.response.length,
    };
    const body = ctx.body as { errors?: unknown } | undefined;
    if (status >= 500) {
      logger.error({ ...line, res: body?.errors ?? body });
    } else if (status >= 400) {
      logger.warn({ ...line, res: body?.errors ?? body });
    } else {
      logger.info(line);
    }
  };
}
