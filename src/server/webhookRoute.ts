import type { Context, Next } from 'koa';

import { RESOURCE_NAME, TRIGGER_ACTION_NAME } from '../common/constants';
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
 * Answers webhook URLs right after the body parser. A webhook needs none of what follows it in NocoBase (sign-in,
 * roles and ACL, data sources, the resourcer): the endpoint is public and its own checks come from the trigger's
 * config. Request logging and body parsing, which come before, stay as for any request.
 */
export function createWebhookRoute(handler: WebhookRequestHandler, prefix: () => string) {
  return async function webhookRoute(ctx: Context, next: Next): Promise<void> {
    const key = matchWebhookPath(ctx.path, prefix());
    if (key === null) {
      return next();
    }
    await handler.respond(ctx, key);
  };
}
