import type { Counter } from '@nocobase/cache';

import type { RateLimitConfig } from '../../common/types';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * A fixed window per workflow key, counted in NocoBase's cache counter: in memory by default, shared by every node of
 * a cluster when the app's cache store is Redis.
 */
export class RateLimiter {
  private counter: Promise<Counter> | undefined;

  /** The counter is created on first use: the app's cache manager is ready only after the plugins load. */
  constructor(private readonly createCounter: () => Promise<Counter>) {}

  async take(workflowKey: string, config: RateLimitConfig, nowMs = Date.now()): Promise<RateDecision> {
    const windowMs = config.windowSeconds * 1000;
    const windowIndex = Math.floor(nowMs / windowMs);
    this.counter ??= this.createCounter();
    const count = await (await this.counter).incr(`${workflowKey}:${config.windowSeconds}:${windowIndex}`, windowMs);
    if (count <= config.limit) {
      return { allowed: true };
    }
    const windowEndsMs = (windowIndex + 1) * windowMs;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowEndsMs - nowMs) / 1000)) };
  }
}
