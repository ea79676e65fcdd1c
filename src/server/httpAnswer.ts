import type { Context } from 'koa';
import { parse } from '@nocobase/utils';

import { DEFAULT_ASYNC_BODY, DEFAULT_ASYNC_STATUS_CODE } from '../common/constants';
import type { HttpAnswer, ResponseHeader, WebhookContext, WebhookResponseConfig } from '../common/types';

/** Anything outside visible ASCII, space and tab could split or corrupt the header block: it is dropped. */
export function sanitizeHeaderValue(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replace(/[^\t\x20-\x7e]/g, '');
}

/** Turns a rendered config into what is sent: a valid status, clean headers, and the body as given. */
export function normalizeHttpAnswer(rendered: WebhookResponseConfig, defaultStatusCode: number, defaultBody: unknown): HttpAnswer {
  const statusCode = Number(rendered.statusCode ?? defaultStatusCode);
  const headers: ResponseHeader[] = (rendered.headers ?? [])
    .filter((header) => header?.name)
    .map((header) => ({ name: header.name, value: sanitizeHeaderValue(header.value) }));
  return {
    statusCode: Number.isInteger(statusCode) && statusCode >= 100 && statusCode <= 599 ? statusCode : defaultStatusCode,
    headers,
    body: rendered.body === undefined ? defaultBody : rendered.body,
  };
}

type Template = (data: { $context: WebhookContext }) => unknown;

/** Compiled once per config object: a workflow's config stays the same object until the workflow is saved again. */
const compiledTemplates = new WeakMap<WebhookResponseConfig, Template>();
const EMPTY_TEMPLATE: Template = parse({});

function templateOf(config: WebhookResponseConfig | null | undefined): Template {
  if (!config) {
    return EMPTY_TEMPLATE;
  }
  let template = compiledTemplates.get(config);
  if (!template) {
    template = parse(config) as Template;
    compiledTemplates.set(config, template);
  }
  return template;
}

/** Renders `{{$context...}}` templates of an async trigger's response config from the request. */
export function buildAsyncAnswer(config: WebhookResponseConfig | null | undefined, context: WebhookContext): HttpAnswer {
  const rendered = templateOf(config)({ $context: context }) as WebhookResponseConfig;
  return normalizeHttpAnswer(rendered, DEFAULT_ASYNC_STATUS_CODE, DEFAULT_ASYNC_BODY);
}

/** A string body goes out as text, anything else as JSON; never wrapped in NocoBase's `{ data }` envelope. */
export function applyHttpAnswer(ctx: Context, answer: HttpAnswer): void {
  ctx.withoutDataWrapping = true;
  for (const { name, value } of answer.headers) {
    ctx.set(name, value);
  }
  const { body } = answer;
  if (body === null || body === undefined || body === '') {
    ctx.body = '';
  } else if (typeof body === 'string') {
    if (!ctx.response.get('Content-Type')) {
      ctx.type = 'text/plain';
    }
    ctx.body = body;
  } else {
    const json = JSON.stringify(body);
    if (!ctx.response.get('Content-Type')) {
      ctx.type = 'application/json';
    }
    ctx.body = json;
  }
  ctx.status = answer.statusCode;
}
