// The part of autocannon 9's programmatic API the benchmark uses (the package ships no types).
declare module 'autocannon' {
  interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
  }
  interface Options {
    url: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    connections?: number;
    duration?: number;
    amount?: number;
    timeout?: number;
    idReplacement?: boolean;
    /** ms between samples (default 1000): a stop takes effect at the next one. */
    sampleInt?: number;
  }
  interface Result {
    duration: number;
    start: Date;
    finish: Date;
    errors: number;
    timeouts: number;
    non2xx: number;
    resets: number;
    '2xx': number;
    statusCodeStats: Record<string, { count: number }>;
    latency: Histogram & { totalCount: number };
    requests: Histogram & { sent: number };
    throughput: Histogram;
  }
  /**
   * Resolves when the run ends. `stop()` ends it early, at the next sample (`sampleInt`): the answers so far are its
   * result, requests still in flight are dropped.
   */
  function autocannon(options: Options): PromiseLike<Result> & { stop(): void };
  export = autocannon;
}
