import type { Counter } from '@nocobase/cache';

import type { RateLimitConfig } from '../../common/types';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Counts hits per key; a key is forgotten after `ttlMs`. */
export interface WindowCounter {
  incr(key: string, ttlMs: number): Promise<number>;
}

/**
 * The counter of one process, for the default in-memory cache. NocoBase's MemoryCounter expires keys with a timer
 * each, which keeps the process alive for a whole window after its last request; this one sweeps on use instead.
 */
export class LocalWindowCounter implements WindowCounter {
  private readonly counts = new Map<string, { count: number; expiresAt: number }>();
  private nextSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async incr(key: string, ttlMs: number): Promise<number> {
    const now = this.now();
    this.sweep(now);
    const entry = this.counts.get(key);
    if (!entry || entry.expiresAt <= now) {
      this.counts.set(key, { count: 1, expiresAt: now + ttlMs });
      return 1;
    }
    entry.count += 1;
    return entry.count;
  }

  get size(): number {
    return this.counts.size;
  }

  private sweep(now: number): void {
    if (now < this.nextSweep) {
      return;
    }
    this.nextSweep = now + 1000;
    for (const [key, entry] of this.counts) {
      if (entry.expiresAt <= now) {
        this.counts.delete(key);
      }
    }
  }
}

/** NocoBase's atomic counter of a shared cache store (Redis), so that every node of a cluster counts together. */
export class SharedWindowCounter implements WindowCounter {
  private counter: Promise<Counter> | undefined;

  /** Created on first use: the app's cache manager is ready only after the plugins load. */
  constructor(private readonly createCounter: () => Promise<Counter>) {}

  async incr(key: string, ttlMs: number): Promise<number> {
    this.counter ??= this.createCounter();
    return (await this.counter).incr(key, ttlMs);
  }
}

/** Picks its counter on first use, when the app's cache manager (and so its default store) is known. */
export class LazyWindowCounter implements WindowCounter {
  private counter: WindowCounter | undefined;

  constructor(private readonly choose: () => WindowCounter) {}

  incr(key: string, ttlMs: number): Promise<number> {
    this.counter ??= this.choose();
    return this.counter.incr(key, ttlMs);
  }
}

/** A fixed window per workflow key. */
export class RateLimiter {
  constructor(
    private readonly counter: WindowCounter,
    private readonly now: () => number = Date.now,
  ) {}

  async take(workflowKey: string, config: RateLimitConfig): Promise<RateDecision> {
    const nowMs = this.now();
    const windowMs = config.windowSeconds * 1000;
    const windowIndex = Math.floor(nowMs / windowMs);
    const count = await this.counter.incr(`${workflowKey}:${config.windowSeconds}:${windowIndex}`, windowMs);
    if (count <= config.limit) {
      return { allowed: true };
    }
    const windowEndsMs = (windowIndex + 1) * windowMs;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowEndsMs - nowMs) / 1000)) };
  }
}
