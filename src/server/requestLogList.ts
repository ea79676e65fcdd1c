import type { Context, Next } from '@nocobase/actions';

import { REQUEST_LOG_COLLECTION } from '../common/requestLog';

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 200;

function wholeNumberIn(value: unknown, min: number, max: number, fallback: number): number {
  const number = Math.floor(Number(value));
  return Number.isFinite(number) ? Math.min(max, Math.max(min, number)) : fallback;
}

/**
 * `GET /api/workflowWebhookRequestLogs:list`: newest first, paginated (`page`, `pageSize` up to 200), with a NocoBase
 * `filter`, e.g. `{ "workflowKey": "...", "status": { "$gte": 400, "$lt": 500 } }`. Answers `{ data, meta }` as
 * NocoBase's own list action does.
 */
export async function listRequestLogs(ctx: Context, next: Next): Promise<void> {
  const { filter, page, pageSize } = ctx.action.params;
  const size = wholeNumberIn(pageSize, 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);
  const current = wholeNumberIn(page, 1, Number.MAX_SAFE_INTEGER, 1);
  const [rows, count] = await ctx.db.getRepository(REQUEST_LOG_COLLECTION).findAndCount({
    filter,
    sort: ['-createdAt', '-id'],
    offset: (current - 1) * size,
    limit: size,
  });
  ctx.body = { rows, count, page: current, pageSize: size, totalPage: Math.ceil(count / size) };
  await next();
}
