import { LocalWindowCounter, RateLimiter } from '../security/rateLimit';

describe('server/security/rateLimit', () => {
  it('allows `limit` requests per fixed window, then says how long until the window ends', async () => {
    let now = 60_000 * 100 + 15_000; // 15 s into a minute window
    const limiter = new RateLimiter(new LocalWindowCounter(() => now), () => now);
    const config = { limit: 2, windowSeconds: 60 };
    expect(await limiter.take('k', config)).toEqual({ allowed: true });
    expect(await limiter.take('k', config)).toEqual({ allowed: true });
    expect(await limiter.take('k', config)).toEqual({ allowed: false, retryAfterSeconds: 45 });
    expect(await limiter.take('other', config)).toEqual({ allowed: true });
    now += 45_000; // the next window
    expect(await limiter.take('k', config)).toEqual({ allowed: true });
  });

  it('forgets expired windows without timers', async () => {
    let now = 0;
    const counter = new LocalWindowCounter(() => now);
    for (let i = 0; i < 100; i++) {
      await counter.incr(`key-${i}`, 1000);
    }
    expect(counter.size).toBe(100);
    now = 5_000;
    await counter.incr('fresh', 1000);
    expect(counter.size).toBe(1);
  });
});
