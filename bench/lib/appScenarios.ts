/** The measurements made against the NocoBase app child: floor, async, sync, drain, body sizes, memory. */
import type { TargetProcess } from './child';
import type { BenchOptions } from './options';
import { measure } from './load';
import type { LoadFigures } from './load';
import type { CommitProbe, ExecutionCounts, MemoryFigures, QueueFigures, ServerReady, WorkflowName } from './protocol';
import { BODY_JSON, DELIVERY_BODY_JSON, bodyOfSize } from './traffic';

export type AppProcess = TargetProcess<ServerReady>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => Number((bytes / 1024 ** 2).toFixed(1));
const round = (value: number, digits = 2) => Number(value.toFixed(digits));

export function urlOf(app: AppProcess, path: string) {
  return `http://127.0.0.1:${app.ready.port}${path}`;
}

export interface Settled {
  settled: boolean;
  seconds: number;
  counts: ExecutionCounts;
  /** Every ~5 s while waiting: how many had run and how many were still queued. */
  progress: Array<{ second: number; total: number; resolved: number; pending: number }>;
}

const pendingOf = (byStatus: ExecutionCounts['byStatus']) => (byStatus.queueing ?? 0) + (byStatus['0'] ?? 0);

/** Polls the executions table until `expected` executions of the workflow exist and none is queueing or running. */
export async function settle(app: AppProcess, name: WorkflowName, expected: number, timeoutMs: number, distinct = false): Promise<Settled> {
  const started = Date.now();
  const { key } = app.ready.workflows[name];
  const progress: Settled['progress'] = [];
  for (;;) {
    const counts = await app.request<ExecutionCounts>({ cmd: 'executions', key });
    const settled = counts.total >= expected && pendingOf(counts.byStatus) === 0;
    const second = Math.round((Date.now() - started) / 1000);
    if (settled || second >= 5 * (progress.length + 1)) {
      progress.push({ second, total: counts.total, resolved: counts.byStatus['1'] ?? 0, pending: pendingOf(counts.byStatus) });
    }
    if (settled || Date.now() - started >= timeoutMs) {
      // The distinct count reads every context: once, at the end.
      const final = distinct ? await app.request<ExecutionCounts>({ cmd: 'executions', key, distinct }) : counts;
      return { settled, seconds: round((Date.now() - started) / 1000), counts: final, progress };
    }
    await sleep(250);
  }
}

/**
 * Sends the floor request for `appWarmupSeconds`, unmeasured, before an app's first figure. Not the async webhook:
 * the executions it left queued would run during the figures that follow.
 */
export async function warmUpApp(app: AppProcess, options: BenchOptions): Promise<void> {
  await measure({
    url: urlOf(app, app.ready.floorPath),
    body: BODY_JSON,
    node: app.ready.node,
    durationSeconds: options.appWarmupSeconds,
  });
}

export function measureFloor(app: AppProcess, options: BenchOptions): Promise<LoadFigures> {
  return measure({
    url: urlOf(app, app.ready.floorPath),
    body: BODY_JSON,
    node: app.ready.node,
    durationSeconds: options.durationSeconds,
    warmup: options.warmup,
  });
}

export async function measureAsync(app: AppProcess, options: BenchOptions) {
  const load = await measure({
    url: urlOf(app, app.ready.workflows.async.path),
    body: BODY_JSON,
    node: app.ready.node,
    durationSeconds: options.durationSeconds,
    warmup: options.warmup,
  });
  // The queue runs the accepted executions after the load; let it finish so the next measurement starts quiet.
  const after = await app.request<ExecutionCounts>({ cmd: 'executions', key: app.ready.workflows.async.key });
  const settled = await settle(app, 'async', after.total, options.settleTimeoutMs);
  return {
    ...load,
    settleSeconds: settled.seconds,
    settled: settled.settled,
    executions: settled.counts.total,
    pendingAfterSettle: pendingOf(settled.counts.byStatus),
  };
}

/**
 * The same async load with the workflow engine held: every delivery is still written and committed before its 2xx
 * and handed to the queue, but no execution runs during the window (they run once it is over). The difference from
 * `measureAsync` is what running the executions on the same process costs the acknowledgements. It follows
 * `measureAsync` on the same app, whose warm-up and window have warmed this load already: it gets no warm-up of its own,
 * which would only add to the backlog.
 */
export async function measureAsyncEngineHeld(app: AppProcess, options: BenchOptions) {
  const before = await app.request<ExecutionCounts>({ cmd: 'executions', key: app.ready.workflows.async.key });
  const { load, held } = await withEngineHeld(app, async () => {
    const figures = await measure({
      url: urlOf(app, app.ready.workflows.async.path),
      body: BODY_JSON,
      node: app.ready.node,
      durationSeconds: options.durationSeconds,
    });
    return { load: figures, held: await app.request<ExecutionCounts>({ cmd: 'executions', key: app.ready.workflows.async.key }) };
  });
  const settled = await settle(app, 'async', held.total, options.settleTimeoutMs);
  return {
    ...load,
    /** Executions of this workflow that ran during the window (0 expected: the engine was held). */
    ranWhileHeld: (held.byStatus['1'] ?? 0) - (before.byStatus['1'] ?? 0),
    settleSeconds: settled.seconds,
    settled: settled.settled,
    executions: settled.counts.total,
    pendingAfterSettle: pendingOf(settled.counts.byStatus),
  };
}

/** Runs `scenario` while the app's engine runs no execution (deliveries are still stored and queued). */
export async function withEngineHeld<T>(app: AppProcess, scenario: () => Promise<T>): Promise<T> {
  await app.request({ cmd: 'engine', run: false });
  try {
    return await scenario();
  } finally {
    await app.request({ cmd: 'engine', run: true });
  }
}

/** On a quiet app, before its first figure: how long one committed write takes there (COMMIT_PROBES of them). */
export function probeCommits(app: AppProcess): Promise<CommitProbe> {
  return app.request<CommitProbe>({ cmd: 'commitProbe', commits: COMMIT_PROBES });
}

const COMMIT_PROBES = 200;

/** `warmedUp`: the same app has run this load already, so the figure starts at once (e.g. right after the async load). */
export function measureSync(app: AppProcess, options: BenchOptions, warmedUp = false): Promise<LoadFigures> {
  return measure({
    url: urlOf(app, app.ready.workflows.sync.path),
    body: BODY_JSON,
    node: app.ready.node,
    durationSeconds: options.durationSeconds,
    ...(warmedUp ? {} : { warmup: options.warmup }),
  });
}

/** Fires N async deliveries with unique ids, then waits until every accepted one has run. */
export async function measureDrain(app: AppProcess, options: BenchOptions) {
  const started = Date.now();
  const load = await measure({
    url: urlOf(app, app.ready.workflows.drain.path),
    body: DELIVERY_BODY_JSON,
    node: app.ready.node,
    amount: options.drainRequests,
    idReplacement: true,
  });
  const answered = Date.now();
  const settled = await settle(app, 'drain', load.ok2xx, options.drainTimeoutMs, true);
  const { counts } = settled;
  return {
    requests: options.drainRequests,
    ok2xx: load.ok2xx,
    failures: load.failures,
    sendSeconds: round((answered - started) / 1000),
    sendRps: load.rps,
    p99Ms: load.p99Ms,
    /** From the last answer until every execution has run. */
    seconds: settled.seconds,
    totalSeconds: round((Date.now() - started) / 1000),
    settled: settled.settled,
    executions: counts.total,
    resolved: counts.byStatus['1'] ?? 0,
    byStatus: counts.byStatus,
    pending: pendingOf(counts.byStatus),
    lostExecutions: load.ok2xx - counts.total,
    duplicateExecutions: counts.total - (counts.distinctDeliveries ?? counts.total),
    progress: settled.progress,
    node: app.ready.node,
  };
}

export const BODY_SIZES: Array<{ label: string; bytes: number }> = [
  { label: '1KB', bytes: 1024 },
  { label: '100KB', bytes: 100 * 1024 },
  { label: '1MB', bytes: 1024 ** 2 },
  { label: '5MB', bytes: 5 * 1024 ** 2 },
];

export async function measureBodySizes(app: AppProcess, options: BenchOptions) {
  const figures: Record<string, Record<string, unknown>> = {};
  let base: { meanMs: number; p99Ms: number; rps: number } | undefined;
  let expected = 0;
  for (const { label, bytes } of BODY_SIZES) {
    const load = await measure({
      url: urlOf(app, app.ready.workflows.bodySize.path),
      body: bodyOfSize(bytes),
      node: app.ready.node,
      durationSeconds: options.bodySizeSeconds,
      warmup: { seconds: options.warmupSeconds },
    });
    expected = (await app.request<ExecutionCounts>({ cmd: 'executions', key: app.ready.workflows.bodySize.key })).total;
    const settled = await settle(app, 'bodySize', expected, options.settleTimeoutMs);
    base ??= load;
    const sizeVs1KB = bytes / BODY_SIZES[0].bytes;
    figures[label] = {
      bytes,
      rps: load.rps,
      meanMs: load.meanMs,
      p50Ms: load.p50Ms,
      p99Ms: load.p99Ms,
      mbPerSecond: round((load.rps * bytes) / 1024 ** 2),
      failures: load.failures,
      statusCodes: load.statusCodes,
      sizeVs1KB,
      meanLatencyVs1KB: round(load.meanMs / base.meanMs),
      p99LatencyVs1KB: round(load.p99Ms / base.p99Ms),
      /** Latency growth per size growth: 1 = linear in size, below 1 = the fixed per-request cost still dominates. */
      meanLatencyGrowthPerSizeGrowth: round(load.meanMs / base.meanMs / sizeVs1KB, 4),
      settleSeconds: settled.seconds,
      pendingAfterSettle: pendingOf(settled.counts.byStatus),
      node: load.node,
    };
  }
  return figures;
}

async function memoryNow(app: AppProcess, collect: boolean) {
  if (collect) {
    await app.request({ cmd: 'gc' });
    await sleep(500);
    await app.request({ cmd: 'gc' });
  }
  const memory = await app.request<MemoryFigures>({ cmd: 'memory' });
  return { rssMb: mb(memory.rss), heapUsedMb: mb(memory.heapUsed), heapTotalMb: mb(memory.heapTotal), externalMb: mb(memory.external) };
}

async function queuePending(app: AppProcess): Promise<number | null> {
  return (await app.request<QueueFigures>({ cmd: 'queue' })).pending;
}

/**
 * Waits until NocoBase's in-memory event queue is empty. plugin-workflow's recovery publishes every execution queued
 * for over a minute again every 5 minutes, so a long backlog leaves messages behind its last execution; each is
 * dropped after one lookup once the engine is idle.
 */
async function settleQueue(app: AppProcess, timeoutMs: number): Promise<{ pending: number | null; seconds: number }> {
  const started = Date.now();
  for (;;) {
    const pending = await queuePending(app);
    if (!pending || Date.now() - started >= timeoutMs) {
      return { pending, seconds: round((Date.now() - started) / 1000) };
    }
    await sleep(1000);
  }
}

/**
 * RSS and heap (after a forced GC when exposed) before, during (every second) and after a sustained async load:
 * "afterLoad" as soon as the load stops, with its executions still queued; "afterRun" once the engine has run them
 * all; "after" once the event queue is empty as well. "Before" is taken on a warm app (a short async burst, run to
 * the end), so that the growth is what the load left behind, not the first requests' compiled code and caches.
 */
export async function measureMemory(app: AppProcess, options: BenchOptions) {
  const gc = (await app.request<{ collected: boolean }>({ cmd: 'gc' })).collected;
  const { key } = app.ready.workflows.memory;
  const executionsOf = async () => (await app.request<ExecutionCounts>({ cmd: 'executions', key })).total;
  if (options.memoryWarmupSeconds > 0) {
    await measure({
      url: urlOf(app, app.ready.workflows.memory.path),
      body: BODY_JSON,
      node: app.ready.node,
      durationSeconds: options.memoryWarmupSeconds,
    });
  }
  const warmup = await settle(app, 'memory', await executionsOf(), options.memoryDrainTimeoutMs);
  const before = await memoryNow(app, gc);
  const samples: Array<{ second: number; rssMb: number; heapUsedMb: number }> = [];
  const started = Date.now();
  let loading = true;
  const sampler = (async () => {
    while (loading) {
      await sleep(1000);
      const now = await memoryNow(app, false);
      samples.push({ second: Math.round((Date.now() - started) / 1000), rssMb: now.rssMb, heapUsedMb: now.heapUsedMb });
    }
  })();
  let load: LoadFigures;
  try {
    load = await measure({
      url: urlOf(app, app.ready.workflows.memory.path),
      body: BODY_JSON,
      node: app.ready.node,
      durationSeconds: options.memorySeconds,
    });
  } finally {
    loading = false;
    await sampler;
  }
  const loaded = await app.request<ExecutionCounts>({ cmd: 'executions', key });
  const total = loaded.total;
  const queuedAfterLoad = pendingOf(loaded.byStatus);
  const afterLoad = await memoryNow(app, gc);
  const settled = await settle(app, 'memory', total, options.memoryDrainTimeoutMs);
  const afterRun = await memoryNow(app, gc);
  const queueAfterRun = await queuePending(app);
  const queue = await settleQueue(app, options.memoryDrainTimeoutMs);
  const after = await memoryNow(app, gc);
  const loadExecutions = total - warmup.counts.total;
  const perRequest = (heapUsedMb: number) =>
    loadExecutions ? round(((heapUsedMb - before.heapUsedMb) * 1024 ** 2) / loadExecutions, 1) : null;
  return {
    seconds: options.memorySeconds,
    gcExposed: gc,
    warmupExecutions: warmup.counts.total,
    before,
    peakRssMb: Math.max(before.rssMb, ...samples.map((s) => s.rssMb)),
    peakHeapUsedMb: Math.max(before.heapUsedMb, ...samples.map((s) => s.heapUsedMb)),
    afterLoad: { ...afterLoad, queuedExecutions: queuedAfterLoad },
    /** What a queued execution holds in the heap until the engine runs it (its queue message and the like). */
    heapBytesPerQueuedExecution: queuedAfterLoad ? Math.round(((afterLoad.heapUsedMb - before.heapUsedMb) * 1024 ** 2) / queuedAfterLoad) : null,
    /** As soon as every execution has run: the queue may still hold messages the engine's recovery published again. */
    afterRun: { ...afterRun, queueMessages: queueAfterRun },
    heapGrowthBytesPerRequestAtRun: perRequest(afterRun.heapUsedMb),
    after: { ...after, queueMessages: queue.pending },
    queueDrainSeconds: queue.seconds,
    settled: settled.settled,
    rssGrowthAfterMb: round(after.rssMb - before.rssMb, 1),
    heapUsedGrowthAfterMb: round(after.heapUsedMb - before.heapUsedMb, 1),
    /** The heap left behind per request of the load, once all ran and the queue is empty: a leak would show here. */
    heapGrowthBytesPerRequest: perRequest(after.heapUsedMb),
    executions: loadExecutions,
    settleSeconds: settled.seconds,
    pendingAfterSettle: pendingOf(settled.counts.byStatus),
    load: { rps: load.rps, p50Ms: load.p50Ms, p99Ms: load.p99Ms, requests: load.requests, failures: load.failures },
    samples,
    node: app.ready.node,
  };
}
