/** One autocannon measurement, reduced to the figures the report names. */
import os from 'node:os';

import autocannon from 'autocannon';

import { REQUEST_HEADERS } from './traffic';

export const CONNECTIONS = 10;

export interface LoadFigures {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  requests: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** non-2xx answers, socket errors and timeouts together. */
  failures: number;
  statusCodes: Record<string, number>;
  seconds: number;
  /** Node version of the process that answered. */
  node: string;
  /** The machine's 1-minute load average when the measurement ended: well above 2 means other work competed. */
  loadAverage: number;
  /** The unmeasured requests answered before the figure's window, and how long they took. */
  warmup?: { requests: number; seconds: number };
}

/**
 * Unmeasured requests of the same load before a figure: `requests` of them, or as many as `seconds` allow when the
 * target is slower than that (n8n answers about 100 a second); without `requests`, `seconds` of them. V8 optimizes
 * a function after some thousands of calls, so code that runs once a request is the last to be: a window that
 * starts after a few seconds measures the JIT's warm-up as much as the target.
 */
export interface Warmup {
  requests?: number;
  seconds: number;
}

export interface LoadRequest {
  url: string;
  body: string;
  headers?: Record<string, string>;
  node: string;
  durationSeconds?: number;
  amount?: number;
  warmup?: Warmup;
  idReplacement?: boolean;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

function target(request: LoadRequest) {
  return {
    url: request.url,
    method: 'POST',
    headers: request.headers ?? REQUEST_HEADERS,
    body: request.body,
    connections: CONNECTIONS,
    timeout: 30,
  };
}

async function warmUp(request: LoadRequest, warmup: Warmup): Promise<NonNullable<LoadFigures['warmup']>> {
  // autocannon reads a stop (the cap's, or the end of `amount`) only at its next sample: every 100 ms rather than every
  // second, so that the cap holds and the target does not sit idle before the window.
  const run = autocannon({
    ...target(request),
    sampleInt: 100,
    ...(warmup.requests ? { amount: warmup.requests } : { duration: warmup.seconds }),
  });
  const cap = warmup.requests ? setTimeout(() => run.stop(), warmup.seconds * 1000) : undefined;
  try {
    const result = await run;
    return { requests: result.latency.totalCount, seconds: round((result.finish.getTime() - result.start.getTime()) / 1000) };
  } finally {
    clearTimeout(cap);
  }
}

export async function measure(request: LoadRequest): Promise<LoadFigures> {
  const warmup = request.warmup ? await warmUp(request, request.warmup) : undefined;
  const result = await autocannon({
    ...target(request),
    ...(request.amount ? { amount: request.amount } : { duration: request.durationSeconds ?? 15 }),
    ...(request.idReplacement ? { idReplacement: true } : {}),
  });
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]));
  const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
  const completed = result.latency.totalCount;
  return {
    // Completed answers over elapsed time: exact for slow targets too (per-second samples round a 3 s run coarsely).
    rps: round(seconds > 0 ? completed / seconds : 0, 1),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    meanMs: round(result.latency.mean),
    maxMs: result.latency.max,
    requests: completed,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    failures: result.non2xx + result.errors,
    statusCodes,
    seconds: round(seconds),
    node: request.node,
    loadAverage: round(os.loadavg()[0]),
    ...(warmup ? { warmup } : {}),
  };
}
