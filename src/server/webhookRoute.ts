import type { Context, Next } from 'koa';

import { RESOURCE_NAME, TRIGGER_ACTION_NAME } from '../common/constants';
import type { AccessLogWriter } from './accessLog';
import { applyHttpAnswer } from './httpAnswer';
import { readWebhookBody } from './webhookBody';
import type { WebhookRequestHandler } from './WebhookRequestHandler';

/** `<prefix>/webhook:trigger/<key>` -> the key; null for any other path. */
export function matchWebhookPath(path: string, prefix: string): string | null {
  const base = `${prefix.replace(/\/+$/, '')}/${RESOURCE_NAME}:${TRIGGER_ACTION_NAME}/`;
  if (!path.startsWith(base)) {
    return null;
  }
  const rest = path.slice(base.length);
  if (!rest || rest.includes('/')) {
    return null;
  }
  try {
    return decodeURIComponent(rest);
  } catch {
    return null;
  }
}

/**
 * Answers webhook URLs just before NocoBase's request logger and body parser (after its request id, i18n, client IP and
 * error handler). A webhook needs none of what follows in NocoBase (sign-in, roles and ACL, data sources, the resourcer): the endpoint
 * is public and its checks come from the trigger's config. It writes its own, single line to the request log (see
 * accessLog.ts). The resource form (`webhook:trigger?filterByTk=<key>`) goes on through NocoBase's middleware to the
 * resourcer, with its body read the same way.
 */
export function createWebhookRoute(handler: WebhookRequestHandler, prefix: () => string, writeAccessLog: AccessLogWriter) {
  return async function webhookRoute(ctx: Context, next: Next): Promise<void> {
    const key = matchWebhookPath(ctx.path, prefix());
    if (key !== null) {
      const startedAt = Date.now();
      if (ctx.reqId) {
        ctx.set('X-Request-Id', ctx.reqId);
      }
      try {
        await handler.respond(ctx, key);
      } finally {
        writeAccessLog(ctx, startedAt);
      }
      return;
    }
    if (isResourceForm(ctx.path, prefix())) {
      const refusal = await readWebhookBody(ctx, handler.bodyLimitBytes);
      if (refusal) {
        return applyHttpAnswer(ctx, refusal);
      }
    }
    return next();
  };
}

function isResourceForm(path: string, prefix: string): boolean {
  return path === `${prefix.replace(/\/+$/, '')}/${RESOURCE_NAME}:${TRIGGER_ACTION_NAME}`;
}
