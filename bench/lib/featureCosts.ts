/**
 * What two optional features cost, each against the same workflow without it, in the same app and run:
 * HMAC signature verification on a 1 MB body (issue 5), and the request log (issue 6). Both sit on the path that
 * acknowledges a delivery, so they are measured with the engine held: the executions the loads queue would otherwise
 * run during the measurements that follow, and their CPU drowned the features' own (the request log came out anywhere
 * from 0.77x to 1.22x in three full runs).
 */
import { createHmac } from 'node:crypto';

import type { AppProcess } from './appScenarios';
import { urlOf, withEngineHeld } from './appScenarios';
import { measure } from './load';
import type { LoadFigures } from './load';
import type { BenchOptions } from './options';
import type { WorkflowName } from './protocol';
import { BODY_JSON, REQUEST_HEADERS, SIGNING_SECRET, bodyOfSize } from './traffic';

const ONE_MB = 1024 * 1024;
const round = (value: number, digits = 2) => Number(value.toFixed(digits));

export interface FeatureCost {
  without: LoadFigures;
  with: LoadFigures;
  /** req/s with the feature / req/s without it (1 = free). */
  rpsRatio: number;
  /** mean latency with / without. */
  meanLatencyRatio: number;
  /** Extra mean latency per request, in ms. */
  extraMeanMs: number;
}

/** Two measurements of the same target as one: counts added, rates and latencies averaged, the worst maximum. */
function combined(first: LoadFigures, second: LoadFigures): LoadFigures {
  const mean = (pick: (figures: LoadFigures) => number) => round((pick(first) + pick(second)) / 2, 1);
  const statusCodes: Record<string, number> = { ...first.statusCodes };
  for (const [code, count] of Object.entries(second.statusCodes)) {
    statusCodes[code] = (statusCodes[code] ?? 0) + count;
  }
  return {
    ...second,
    rps: mean((f) => f.rps),
    p50Ms: mean((f) => f.p50Ms),
    p99Ms: mean((f) => f.p99Ms),
    meanMs: mean((f) => f.meanMs),
    maxMs: Math.max(first.maxMs, second.maxMs),
    requests: first.requests + second.requests,
    ok2xx: first.ok2xx + second.ok2xx,
    non2xx: first.non2xx + second.non2xx,
    errors: first.errors + second.errors,
    timeouts: first.timeouts + second.timeouts,
    failures: first.failures + second.failures,
    statusCodes,
    seconds: first.seconds + second.seconds,
    loadAverage: Math.max(first.loadAverage, second.loadAverage),
  };
}

async function compare(
  app: AppProcess,
  options: BenchOptions,
  body: string,
  without: WorkflowName,
  withFeature: WorkflowName,
  headers: Record<string, string>,
): Promise<FeatureCost> {
  const run = (name: WorkflowName) =>
    measure({
      url: urlOf(app, app.ready.workflows[name].path),
      body,
      headers,
      node: app.ready.node,
      durationSeconds: options.bodySizeSeconds,
      warmup: { seconds: options.warmupSeconds },
    });
  // A, B, B, A: a slow drift of the machine or the app (a growing table, a warming cache) would favour the one
  // measured first; both get one first and one second place, and their two figures are combined.
  const [plainFirst, featuredFirst, featuredSecond, plainSecond] = await withEngineHeld(app, async () => [
    await run(without),
    await run(withFeature),
    await run(withFeature),
    await run(without),
  ]);
  const plain = combined(plainFirst, plainSecond);
  const featured = combined(featuredFirst, featuredSecond);
  return {
    without: plain,
    with: featured,
    rpsRatio: round(featured.rps / plain.rps, 3),
    meanLatencyRatio: round(featured.meanMs / plain.meanMs, 3),
    extraMeanMs: round(featured.meanMs - plain.meanMs),
  };
}

export async function measureFeatureCosts(app: AppProcess, options: BenchOptions) {
  const body = bodyOfSize(ONE_MB);
  const signature = `sha256=${createHmac('sha256', SIGNING_SECRET).update(body, 'utf8').digest('hex')}`;
  return {
    signature1MB: await compare(app, options, body, 'unsigned1MB', 'signed1MB', {
      ...REQUEST_HEADERS,
      'x-hub-signature-256': signature,
    }),
    requestLog: await compare(app, options, BODY_JSON, 'logOff', 'logOn', REQUEST_HEADERS),
  };
}
