/** The named figures of a run (bench/results.json), their ratios, and the human summary (bench/RESULTS.md). */
import type { measureAsync, measureAsyncEngineHeld, measureBodySizes, measureDrain, measureMemory } from './appScenarios';
import type { measureFeatureCosts } from './featureCosts';
import { groupShare } from './cpuProfile';
import type { CpuSummary, PackageGroup } from './cpuProfile';
import type { LoadFigures } from './load';
import type { CommitProbe } from './protocol';

type Skipped = { skipped: string };

export interface PeerFigures {
  name: string;
  version: string;
  node: string;
  hook: LoadFigures;
  sync: LoadFigures;
}

type ProfiledLoad = CpuSummary & {
  /** Which webhook was under load (absent in runs before the sync profile: async). */
  workflow?: 'async' | 'sync';
  load: Pick<LoadFigures, 'rps' | 'p50Ms' | 'p99Ms'>;
  /** Busy CPU over the requests answered in the window: what one request costs the app's thread. */
  busyMsPerRequest?: number;
};

/** The `--postgres` part: the same scenarios on an app whose database is PostgreSQL (group commit of deliveries). */
export interface PostgresResults {
  server: { version: string; host: string; port: number; database: string };
  nocobaseFloor?: LoadFigures;
  asyncWebhook?: Awaited<ReturnType<typeof measureAsync>>;
  asyncEngineHeld?: Awaited<ReturnType<typeof measureAsyncEngineHeld>>;
  syncWebhook?: LoadFigures;
  drain?: Awaited<ReturnType<typeof measureDrain>>;
  featureCosts?: Awaited<ReturnType<typeof measureFeatureCosts>>;
  commitProbe?: CommitProbe;
}

export interface Results {
  date: string;
  quick: boolean;
  command: string;
  nodeVersion: string;
  /** The plugin code measured: the commit, and whether src/ had uncommitted changes when the run copied it. */
  code: { commit: string; srcModified: boolean };
  machine: { cpus: number; cpuModel: string; memoryGb: number };
  settings: Record<string, number>;
  runSeconds?: number;
  bareNode?: LoadFigures;
  nocobaseFloor?: LoadFigures;
  asyncWebhook?: Awaited<ReturnType<typeof measureAsync>>;
  /** The async webhook with the engine held during the window: acknowledgements only, executions run afterwards. */
  asyncEngineHeld?: Awaited<ReturnType<typeof measureAsyncEngineHeld>>;
  /** One committed single-row INSERT on the quiet app (the SQLite file's flush), before its first figure. */
  commitProbe?: CommitProbe;
  syncWebhook?: LoadFigures;
  /** The sync webhook again right after the async load (and its settle wait): executions may still be queued. */
  syncAfterAsyncLoad?: LoadFigures;
  drain?: Awaited<ReturnType<typeof measureDrain>>;
  bodySize?: Awaited<ReturnType<typeof measureBodySizes>>;
  featureCosts?: Awaited<ReturnType<typeof measureFeatureCosts>>;
  memory?: Awaited<ReturnType<typeof measureMemory>>;
  loggerError?: { nocobaseFloor: LoadFigures; asyncWebhook: LoadFigures; syncWebhook: LoadFigures } | Skipped;
  sqliteMemory?: { asyncWebhook: LoadFigures; syncWebhook: LoadFigures; commitProbe?: CommitProbe } | Skipped;
  /** A SQLite file in WAL journal mode (an operator's choice), with its own floor. */
  sqliteWal?:
    | {
        nocobaseFloor: LoadFigures;
        asyncWebhook: Awaited<ReturnType<typeof measureAsync>>;
        syncWebhook: LoadFigures;
        commitProbe: CommitProbe;
      }
    | Skipped;
  cpuProfile?: ProfiledLoad | Skipped;
  cpuProfileSqliteMemory?: ProfiledLoad | Skipped;
  postgres?: PostgresResults | Skipped;
  cpuProfilePostgres?: ProfiledLoad | Skipped;
  /** The sync webhook's load, profiled: where a run inside the request spends its CPU. */
  cpuProfileSync?: ProfiledLoad | Skipped;
  cpuProfileSyncPostgres?: ProfiledLoad | Skipped;
  peers: { nodeRed?: PeerFigures | Skipped; n8n?: PeerFigures | Skipped };
  appLogs?: Record<string, { megabytes: number; errorLines: number; sqliteBusyLines: number }>;
  [ratio: string]: unknown;
}

const isSkipped = (value: unknown): value is Skipped => typeof value === 'object' && value !== null && 'skipped' in value;
const ratio = (a?: number, b?: number) => (a !== undefined && b ? Number((a / b).toFixed(4)) : undefined);

export function addRatios(results: Results): void {
  const { bareNode, nocobaseFloor, asyncWebhook, syncWebhook, drain, cpuProfile, loggerError, peers } = results;
  Object.assign(results, {
    nocobaseFloorVsBareNode: ratio(nocobaseFloor?.rps, bareNode?.rps),
    asyncVsNocobaseFloor: ratio(asyncWebhook?.rps, nocobaseFloor?.rps),
    asyncEngineHeldVsNocobaseFloor: ratio(results.asyncEngineHeld?.rps, nocobaseFloor?.rps),
    asyncVsAsyncEngineHeld: ratio(asyncWebhook?.rps, results.asyncEngineHeld?.rps),
    commitMedianMs: results.commitProbe?.medianMs,
    syncVsNocobaseFloor: ratio(syncWebhook?.rps, nocobaseFloor?.rps),
    asyncVsBareNode: ratio(asyncWebhook?.rps, bareNode?.rps),
    syncVsBareNode: ratio(syncWebhook?.rps, bareNode?.rps),
    syncAfterAsyncLoadVsSync: ratio(results.syncAfterAsyncLoad?.rps, syncWebhook?.rps),
    signature1MBVsUnsigned: results.featureCosts?.signature1MB.rpsRatio,
    requestLogOnVsOff: results.featureCosts?.requestLog.rpsRatio,
    postgresSignature1MBVsUnsigned:
      results.postgres && !isSkipped(results.postgres) ? results.postgres.featureCosts?.signature1MB.rpsRatio : undefined,
    postgresRequestLogOnVsOff:
      results.postgres && !isSkipped(results.postgres) ? results.postgres.featureCosts?.requestLog.rpsRatio : undefined,
    lostExecutions: drain?.lostExecutions,
    duplicateExecutions: drain?.duplicateExecutions,
    memoryRssGrowthAfterMb: results.memory?.rssGrowthAfterMb,
    memoryHeapGrowthBytesPerRequest: results.memory?.heapGrowthBytesPerRequest ?? undefined,
    memoryHeapGrowthBytesPerRequestAtRun: results.memory?.heapGrowthBytesPerRequestAtRun ?? undefined,
    ourCpuShare: cpuProfile && !isSkipped(cpuProfile) ? cpuProfile.parsingInclusiveShare : undefined,
    requestPathCpuShare: cpuProfile && !isSkipped(cpuProfile) ? cpuProfile.ourInclusiveShare : undefined,
    ourCpuSelfShare: cpuProfile && !isSkipped(cpuProfile) ? cpuProfile.ourSelfShare : undefined,
    ourCpuShareSqliteMemory:
      results.cpuProfileSqliteMemory && !isSkipped(results.cpuProfileSqliteMemory)
        ? results.cpuProfileSqliteMemory.parsingInclusiveShare
        : undefined,
  });
  if (loggerError && !isSkipped(loggerError)) {
    Object.assign(results, {
      loggerErrorAsyncVsNocobaseFloor: ratio(loggerError.asyncWebhook.rps, loggerError.nocobaseFloor.rps),
      loggerErrorSyncVsNocobaseFloor: ratio(loggerError.syncWebhook.rps, loggerError.nocobaseFloor.rps),
      loggerErrorFloorVsDefaultFloor: ratio(loggerError.nocobaseFloor.rps, nocobaseFloor?.rps),
      loggerErrorAsyncVsDefaultAsync: ratio(loggerError.asyncWebhook.rps, asyncWebhook?.rps),
    });
  }
  const postgres = results.postgres;
  if (postgres && !isSkipped(postgres)) {
    Object.assign(results, {
      postgresAsyncVsNocobaseFloor: ratio(postgres.asyncWebhook?.rps, postgres.nocobaseFloor?.rps),
      postgresAsyncEngineHeldVsNocobaseFloor: ratio(postgres.asyncEngineHeld?.rps, postgres.nocobaseFloor?.rps),
      postgresAsyncVsAsyncEngineHeld: ratio(postgres.asyncWebhook?.rps, postgres.asyncEngineHeld?.rps),
      postgresCommitMedianMs: postgres.commitProbe?.medianMs,
      postgresSyncVsNocobaseFloor: ratio(postgres.syncWebhook?.rps, postgres.nocobaseFloor?.rps),
      postgresFloorVsSqliteFloor: ratio(postgres.nocobaseFloor?.rps, nocobaseFloor?.rps),
      postgresAsyncVsSqliteAsync: ratio(postgres.asyncWebhook?.rps, asyncWebhook?.rps),
      postgresSyncVsSqliteSync: ratio(postgres.syncWebhook?.rps, syncWebhook?.rps),
      postgresLostExecutions: postgres.drain?.lostExecutions,
      postgresDuplicateExecutions: postgres.drain?.duplicateExecutions,
    });
  }
  const pgProfile = results.cpuProfilePostgres;
  if (pgProfile && !isSkipped(pgProfile)) {
    Object.assign(results, {
      ourCpuSharePostgres: pgProfile.parsingInclusiveShare,
      requestPathCpuSharePostgres: pgProfile.ourInclusiveShare,
    });
  }
  const inMemory = results.sqliteMemory;
  if (inMemory && !isSkipped(inMemory)) {
    Object.assign(results, {
      sqliteMemoryAsyncVsSqliteFileAsync: ratio(inMemory.asyncWebhook.rps, asyncWebhook?.rps),
      sqliteMemorySyncVsSqliteFileSync: ratio(inMemory.syncWebhook.rps, syncWebhook?.rps),
      sqliteMemoryAsyncVsNocobaseFloor: ratio(inMemory.asyncWebhook.rps, nocobaseFloor?.rps),
      sqliteMemoryCommitMedianMs: inMemory.commitProbe?.medianMs,
    });
  }
  const wal = results.sqliteWal;
  if (wal && !isSkipped(wal)) {
    const n8n = peers.n8n && !isSkipped(peers.n8n) ? peers.n8n : undefined;
    Object.assign(results, {
      sqliteWalAsyncVsNocobaseFloor: ratio(wal.asyncWebhook.rps, wal.nocobaseFloor.rps),
      sqliteWalAsyncVsSqliteFileAsync: ratio(wal.asyncWebhook.rps, asyncWebhook?.rps),
      sqliteWalSyncVsSqliteFileSync: ratio(wal.syncWebhook.rps, syncWebhook?.rps),
      sqliteWalAsyncVsN8n: ratio(wal.asyncWebhook.rps, n8n?.hook.rps),
      sqliteWalSyncVsN8n: ratio(wal.syncWebhook.rps, n8n?.sync.rps),
      sqliteWalSyncP99VsN8nP99: ratio(wal.syncWebhook.p99Ms, n8n?.sync.p99Ms),
      sqliteWalCommitMedianMs: wal.commitProbe.medianMs,
    });
  }
  for (const [key, label] of [
    ['nodeRed', 'NodeRed'],
    ['n8n', 'N8n'],
  ] as const) {
    const peer = peers[key];
    if (!peer || isSkipped(peer)) {
      continue;
    }
    Object.assign(results, {
      [`ourAsyncVs${label}`]: ratio(asyncWebhook?.rps, peer.hook.rps),
      [`ourSyncVs${label}`]: ratio(syncWebhook?.rps, peer.sync.rps),
      [`nocobaseFloorVs${label}`]: ratio(nocobaseFloor?.rps, peer.hook.rps),
      [`ourAsyncP99Vs${label}P99`]: ratio(asyncWebhook?.p99Ms, peer.hook.p99Ms),
      [`ourSyncP99Vs${label}P99`]: ratio(syncWebhook?.p99Ms, peer.sync.p99Ms),
    });
  }
}

const num = (value: unknown, digits = 1) =>
  typeof value === 'number' ? value.toLocaleString('en-US', { maximumFractionDigits: digits }) : '-';
const times = (value: unknown) =>
  typeof value !== 'number' ? '-' : value !== 0 && Math.abs(value) < 0.1 ? `${value.toPrecision(2)}x` : `${value.toFixed(2)}x`;

/** The unmeasured requests before a figure: how many, in how long (a slow target gets the cap's worth). */
const warmupCell = (figures: LoadFigures) => (figures.warmup ? `${num(figures.warmup.requests, 0)} in ${num(figures.warmup.seconds)} s` : '-');

function loadRow(label: string, what: string, figures: LoadFigures | undefined, results: Results): string {
  if (!figures) {
    return `| ${label} | ${what} | - | - | - | - | - | - | - | - | - |`;
  }
  return [
    label,
    what,
    num(figures.rps),
    num(figures.p50Ms),
    num(figures.p99Ms),
    num(figures.failures, 0),
    times(ratio(figures.rps, results.bareNode?.rps)),
    times(ratio(figures.rps, results.nocobaseFloor?.rps)),
    warmupCell(figures),
    figures.node,
    num(figures.loadAverage, 2),
  ]
    .join(' | ')
    .replace(/^/, '| ')
    .concat(' |');
}

function throughputTable(results: Results): string[] {
  const lines = [
    '| figure | what answers | req/s | p50 ms | p99 ms | failures | vs bareNode | vs nocobaseFloor | warm-up | Node | load avg |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
    loadRow('bareNode', 'bare Node http: read body, JSON.parse, `ok`', results.bareNode, results),
    loadRow('nocobaseFloor', 'NocoBase public action `benchFloor:ping` -> `ok` (default logging)', results.nocobaseFloor, results),
    loadRow('asyncWebhook', 'async webhook: Basic auth, 3/5/10 rows, execution stored before `200 ok`', results.asyncWebhook, results),
    loadRow('syncWebhook', 'sync webhook: Condition -> Response 200 (seed example), quiet app', results.syncWebhook, results),
  ];
  if (results.asyncEngineHeld) {
    lines.push(
      loadRow('asyncEngineHeld', 'the same async webhook, engine held: executions stored and queued, run after the window', results.asyncEngineHeld, results),
    );
  }
  if (results.syncAfterAsyncLoad) {
    lines.push(
      loadRow('syncAfterAsyncLoad', 'the same sync webhook right after the async load', results.syncAfterAsyncLoad, results),
    );
  }
  const quiet = results.loggerError;
  if (quiet && !isSkipped(quiet)) {
    lines.push(
      loadRow('loggerError.nocobaseFloor', 'same floor, `LOGGER_LEVEL=error`', quiet.nocobaseFloor, results),
      loadRow('loggerError.asyncWebhook', 'same async webhook, `LOGGER_LEVEL=error`', quiet.asyncWebhook, results),
      loadRow('loggerError.syncWebhook', 'same sync webhook, `LOGGER_LEVEL=error`', quiet.syncWebhook, results),
    );
  }
  const inMemory = results.sqliteMemory;
  if (inMemory && !isSkipped(inMemory)) {
    lines.push(
      loadRow('sqliteMemory.asyncWebhook', 'same async webhook, SQLite `:memory:` (no file locks)', inMemory.asyncWebhook, results),
      loadRow('sqliteMemory.syncWebhook', 'same sync webhook, SQLite `:memory:`', inMemory.syncWebhook, results),
    );
  }
  const wal = results.sqliteWal;
  if (wal && !isSkipped(wal)) {
    lines.push(
      loadRow('sqliteWal.nocobaseFloor', 'same floor, SQLite file in WAL journal mode (operator setting)', wal.nocobaseFloor, results),
      loadRow('sqliteWal.asyncWebhook', 'same async webhook, SQLite file in WAL mode', wal.asyncWebhook, results),
      loadRow('sqliteWal.syncWebhook', 'same sync webhook, SQLite file in WAL mode', wal.syncWebhook, results),
    );
  }
  for (const [key, name] of [
    ['nodeRed', 'Node-RED'],
    ['n8n', 'n8n'],
  ] as const) {
    const peer = results.peers[key];
    if (peer && !isSkipped(peer)) {
      const hook = key === 'n8n' ? 'Webhook (respond immediately) -> NoOp' : '`http in` -> change -> `http response` ok';
      const sync = key === 'n8n' ? 'Webhook -> IF -> Respond to Webhook 200/400' : '`http in` -> switch -> `http response` 200/400';
      lines.push(
        loadRow(`${key}.hook`, `${name} ${peer.version}: ${hook}`, peer.hook, results),
        loadRow(`${key}.sync`, `${name} ${peer.version}: ${sync}`, peer.sync, results),
      );
    }
  }
  return lines;
}

const RATIO_NAMES: Array<[string, string]> = [
  ['nocobaseFloorVsBareNode', "NocoBase's own middleware floor / bare Node"],
  ['asyncVsNocobaseFloor', 'async webhook / NocoBase floor (1 = the webhook adds nothing)'],
  ['asyncEngineHeldVsNocobaseFloor', 'async webhook with the engine held during the window / NocoBase floor'],
  ['asyncVsAsyncEngineHeld', 'async webhook / the same with the engine held (below 1 = what running executions meanwhile costs)'],
  ['syncVsNocobaseFloor', 'sync webhook / NocoBase floor'],
  ['asyncVsBareNode', 'async webhook / bare Node'],
  ['syncVsBareNode', 'sync webhook / bare Node'],
  ['syncAfterAsyncLoadVsSync', 'sync right after the async load / sync on a quiet app'],
  ['signature1MBVsUnsigned', 'async with a signature check on a 1 MB body / the same without it (engine held)'],
  ['requestLogOnVsOff', 'async with the request log on / off (engine held)'],
  ['postgresSignature1MBVsUnsigned', 'PostgreSQL app: signature check on a 1 MB body / without'],
  ['postgresRequestLogOnVsOff', 'PostgreSQL app: request log on / off'],
  ['loggerErrorFloorVsDefaultFloor', 'floor at LOGGER_LEVEL=error / floor with default logging'],
  ['loggerErrorAsyncVsDefaultAsync', 'async at LOGGER_LEVEL=error / async with default logging'],
  ['loggerErrorAsyncVsNocobaseFloor', 'async / floor, both at LOGGER_LEVEL=error'],
  ['loggerErrorSyncVsNocobaseFloor', 'sync / floor, both at LOGGER_LEVEL=error'],
  ['sqliteMemoryAsyncVsSqliteFileAsync', 'async on SQLite :memory: / async on the SQLite file'],
  ['sqliteMemorySyncVsSqliteFileSync', 'sync on SQLite :memory: / sync on the SQLite file'],
  ['sqliteMemoryAsyncVsNocobaseFloor', 'async on SQLite :memory: / floor (default logging)'],
  ['sqliteWalAsyncVsNocobaseFloor', 'SQLite file in WAL mode: async webhook / the floor of the same app'],
  ['sqliteWalAsyncVsSqliteFileAsync', 'async on the SQLite file in WAL mode / in the default (DELETE) mode'],
  ['sqliteWalSyncVsSqliteFileSync', 'sync on the SQLite file in WAL mode / in the default mode'],
  ['sqliteWalAsyncVsN8n', 'async on the SQLite file in WAL mode / n8n hook'],
  ['sqliteWalSyncVsN8n', 'sync on the SQLite file in WAL mode / n8n sync'],
  ['sqliteWalSyncP99VsN8nP99', 'sync p99 on the SQLite file in WAL mode / n8n sync p99'],
  ['ourCpuShare', "share of the app's busy CPU in the webhook's own parsing and mapping: body read and parse, headers, query, rows (SQLite file)"],
  ['requestPathCpuShare', 'share in the whole request path besides recording: also auth, guard, request log, writing the answer (SQLite file)'],
  ['ourCpuShareSqliteMemory', 'the same on SQLite :memory: (CPU-bound)'],
  ['postgresAsyncVsNocobaseFloor', 'PostgreSQL app: async webhook / its own floor (1 = the webhook adds nothing)'],
  ['postgresAsyncEngineHeldVsNocobaseFloor', 'PostgreSQL app: async webhook with the engine held / its own floor'],
  ['postgresAsyncVsAsyncEngineHeld', 'PostgreSQL app: async webhook / the same with the engine held'],
  ['postgresSyncVsNocobaseFloor', 'PostgreSQL app: sync webhook / its own floor'],
  ['postgresFloorVsSqliteFloor', 'floor on the PostgreSQL app / floor on the SQLite app (the database is not on its path: noise)'],
  ['postgresAsyncVsSqliteAsync', 'async on PostgreSQL / async on the SQLite file'],
  ['postgresSyncVsSqliteSync', 'sync on PostgreSQL / sync on the SQLite file'],
  ['ourCpuSharePostgres', "share of the PostgreSQL app's busy CPU in the webhook's own parsing and mapping"],
  ['requestPathCpuSharePostgres', "share of the PostgreSQL app's busy CPU in the whole request path besides recording"],
  ['ourAsyncVsNodeRed', 'our async req/s / Node-RED hook req/s'],
  ['ourSyncVsNodeRed', 'our sync req/s / Node-RED sync req/s'],
  ['ourAsyncP99VsNodeRedP99', 'our async p99 / Node-RED hook p99 (above 1 = ours slower)'],
  ['ourSyncP99VsNodeRedP99', 'our sync p99 / Node-RED sync p99'],
  ['ourAsyncVsN8n', 'our async req/s / n8n hook req/s'],
  ['ourSyncVsN8n', 'our sync req/s / n8n sync req/s'],
  ['ourAsyncP99VsN8nP99', 'our async p99 / n8n hook p99 (below 1 = ours faster)'],
  ['ourSyncP99VsN8nP99', 'our sync p99 / n8n sync p99'],
  ['nocobaseFloorVsN8n', 'NocoBase floor / n8n hook'],
];

function ratioLines(results: Results): string[] {
  const lines = ['| ratio | meaning | value |', '| --- | --- | ---: |'];
  for (const [name, meaning] of RATIO_NAMES) {
    if (typeof results[name] === 'number') {
      const value = results[name] as number;
      lines.push(`| \`${name}\` | ${meaning} | ${/CpuShare/.test(name) ? `${(value * 100).toFixed(1)}%` : times(value)} |`);
    }
  }
  return lines;
}

function drainLines(drain: Results['drain']): string[] {
  if (!drain) {
    return ['Not measured.'];
  }
  return [
    `${num(drain.requests, 0)} async deliveries (unique \`deliveryId\` each), 10 connections, on ${drain.node}:`,
    '',
    '| figure | value |',
    '| --- | ---: |',
    `| 2xx answers | ${num(drain.ok2xx, 0)} |`,
    `| failures (non-2xx + errors) | ${num(drain.failures, 0)} |`,
    `| sending took | ${num(drain.sendSeconds, 2)} s (${num(drain.sendRps)} req/s, p99 ${num(drain.p99Ms)} ms) |`,
    `| \`drain.seconds\`: last answer -> every execution resolved | ${num(drain.seconds, 2)} s${drain.settled ? '' : ' (NOT settled before the timeout)'} |`,
    `| first request -> every execution resolved | ${num(drain.totalSeconds, 2)} s |`,
    `| executions stored / resolved / still pending | ${num(drain.executions, 0)} / ${num(drain.resolved, 0)} / ${num(drain.pending, 0)} (by status: \`${JSON.stringify(drain.byStatus)}\`) |`,
    `| \`lostExecutions\` (2xx - executions) | **${drain.lostExecutions}** |`,
    `| \`duplicateExecutions\` (executions - distinct deliveries) | **${drain.duplicateExecutions}** |`,
    '',
    `Progress after the last answer (s: resolved / pending): ${drain.progress
      .map((p) => `${p.second}s: ${p.resolved}/${p.pending}`)
      .join(', ')}`,
  ];
}

function postgresLines(results: Results): string[] {
  const postgres = results.postgres;
  if (!postgres) {
    return ['Not measured.'];
  }
  if (isSkipped(postgres)) {
    return [`Not measured: ${postgres.skipped}.`];
  }
  const { server } = postgres;
  const row = (label: string, what: string, figures: LoadFigures | undefined, sqlite: LoadFigures | undefined) =>
    figures
      ? `| ${label} | ${what} | ${num(figures.rps)} | ${num(figures.p50Ms)} | ${num(figures.p99Ms)} | ${num(figures.failures, 0)} | ` +
        `${times(ratio(figures.rps, postgres.nocobaseFloor?.rps))} | ${times(ratio(figures.rps, sqlite?.rps))} | ${warmupCell(figures)} | ` +
        `${figures.node} | ${num(figures.loadAverage, 2)} |`
      : `| ${label} | ${what} | - | - | - | - | - | - | - | - | - |`;
  return [
    `The same app, plugin, workflows and requests on PostgreSQL ${server.version} (${server.host}:${server.port}, database ` +
      `\`${server.database}\` dropped and created before each app starts), which runs on the same machine and competes ` +
      'for its 2 cores. On both databases the plugin records an async delivery itself before answering ' +
      '(GroupCommitRecorder): deliveries that arrive while a write is in flight share the next multi-row INSERT, one ' +
      'commit for many 2xx. On PostgreSQL these writes run alongside the engine\'s executions; on SQLite they take ' +
      'turns with them (EngineWriteLane). The engine runs the queued executions on the same process, during the load ' +
      'too: the async figure pays for the executions it runs meanwhile, the floor for nothing of the kind.',
    '',
    '| figure | what answers | req/s | p50 ms | p99 ms | failures | vs PostgreSQL floor | vs same figure on SQLite file | warm-up | Node | load avg |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
    row('postgres.nocobaseFloor', 'NocoBase public action `benchFloor:ping` -> `ok` (default logging)', postgres.nocobaseFloor, results.nocobaseFloor),
    row('postgres.asyncWebhook', 'async webhook: execution committed (group commit) before `200 ok`', postgres.asyncWebhook, results.asyncWebhook),
    row('postgres.syncWebhook', 'sync webhook: Condition -> Response 200 (seed example), quiet app', postgres.syncWebhook, results.syncWebhook),
    ...(postgres.asyncEngineHeld
      ? [row('postgres.asyncEngineHeld', 'the same async webhook, engine held during the window', postgres.asyncEngineHeld, results.asyncEngineHeld)]
      : []),
    '',
    ...(postgres.asyncWebhook
      ? [
          `After the async load: ${num(postgres.asyncWebhook.executions, 0)} executions, ${num(postgres.asyncWebhook.pendingAfterSettle, 0)} ` +
            `still pending after waiting ${num(postgres.asyncWebhook.settleSeconds)} s for the queue.`,
          '',
        ]
      : []),
    '### Drain on PostgreSQL',
    '',
    ...drainLines(postgres.drain),
  ];
}

function commitLines(results: Results): string[] {
  const probes: Array<[string, CommitProbe | undefined]> = [
    ['SQLite file (product default)', results.commitProbe],
    ['SQLite :memory:', results.sqliteMemory && !isSkipped(results.sqliteMemory) ? results.sqliteMemory.commitProbe : undefined],
    ['SQLite file, WAL mode', results.sqliteWal && !isSkipped(results.sqliteWal) ? results.sqliteWal.commitProbe : undefined],
    ['PostgreSQL', results.postgres && !isSkipped(results.postgres) ? results.postgres.commitProbe : undefined],
  ];
  const measured = probes.filter((probe): probe is [string, CommitProbe] => probe[1] !== undefined);
  if (!measured.length) {
    return [];
  }
  return [
    '## What one commit costs here',
    '',
    'On each quiet app before its first figure: single-row INSERTs one after another, each its own transaction, through ' +
      "the app's own Sequelize connection, and a `SELECT 1` after each for the round trip without a write. A durable " +
      'acknowledgement waits for one such commit (shared by the deliveries of a batch); a synchronous run for several ' +
      "(the engine's execution, counters, job and status writes). The flush to disk is what the two columns differ by: " +
      'it is set by the disk and by what else the machine writes, not by this plugin.',
    '',
    '| database | commits | INSERT + commit median ms | p90 ms | `SELECT 1` median ms |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...measured.map(
      ([label, probe]) => `| ${label} | ${probe.commits} | ${num(probe.medianMs, 2)} | ${num(probe.p90Ms, 2)} | ${num(probe.selectMedianMs, 2)} |`,
    ),
    '',
  ];
}

type FeatureCosts = NonNullable<Results['featureCosts']>;

function featureCostLines(results: Results): string[] {
  const pg = results.postgres && !isSkipped(results.postgres) ? results.postgres.featureCosts : undefined;
  return [
    ...featureCostTable('SQLite file', results.featureCosts),
    ...featureCostTable('PostgreSQL', pg),
  ];
}

function featureCostTable(database: string, costs: FeatureCosts | undefined): string[] {
  if (!costs) {
    return [];
  }
  const row = (what: string, cost: FeatureCosts['requestLog']) =>
    `| ${what} | ${num(cost.without.rps, 1)} | ${num(cost.with.rps, 1)} | ${num(cost.without.meanMs)} | ${num(cost.with.meanMs)} | ${num(cost.rpsRatio, 3)}x | ${num(cost.extraMeanMs)} |`;
  return [
    `## What optional features cost (${database} app, same run)`,
    '',
    'Each against the same async workflow without the feature (Basic auth, 3/5/10 rows), 10 connections, measured ' +
      'without, with, with, without on one app with the engine held: both features sit on the path that acknowledges ' +
      'a delivery, and executions running meanwhile would drown their cost.',
    '',
    '| feature | req/s without | req/s with | mean ms without | mean ms with | req/s ratio | extra mean ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    row('HMAC-SHA256 signature (GitHub preset) over a 1 MB body', costs.signature1MB),
    row('request log on (one row per request, pruned to 100)', costs.requestLog),
    '',
  ];
}

function bodySizeLines(results: Results): string[] {
  if (!results.bodySize) {
    return ['Not measured.'];
  }
  const lines = [
    'Async webhook with the same configuration (10 body rows), bodies padded with order lines to the size.',
    '',
    '| size | req/s | MB/s in | mean ms | p99 ms | mean vs 1 KB | size vs 1 KB | latency growth / size growth | failures | pending after wait | Node |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const [label, f] of Object.entries(results.bodySize)) {
    lines.push(
      `| ${label} | ${num(f.rps)} | ${num(f.mbPerSecond, 2)} | ${num(f.meanMs)} | ${num(f.p99Ms)} | ${times(f.meanLatencyVs1KB)} | ` +
        `${num(f.sizeVs1KB, 0)}x | ${num(f.meanLatencyGrowthPerSizeGrowth, 4)} | ${num(f.failures, 0)} | ${num(f.pendingAfterSettle, 0)} (${num(f.settleSeconds)} s) | ${f.node} |`,
    );
  }
  return lines;
}

function memoryLines(results: Results): string[] {
  const memory = results.memory;
  if (!memory) {
    return ['Not measured.'];
  }
  const warm = memory.warmupExecutions ? `, on an app warmed by ${num(memory.warmupExecutions, 0)} deliveries run to the end` : '';
  return [
    `Sustained async load for ${memory.seconds} s (${num(memory.load.rps)} req/s, p99 ${num(memory.load.p99Ms)} ms, ` +
      `${num(memory.executions, 0)} executions), on ${memory.node}${warm}. "After the load" is as soon as it stopped, ` +
      `${num(memory.afterLoad.queuedExecutions, 0)} executions still queued; "all run" is once the engine had run them ` +
      `(waited ${num(memory.settleSeconds)} s, ${num(memory.pendingAfterSettle, 0)} still pending), with ` +
      `${num(memory.afterRun.queueMessages, 0)} messages left in the event queue (plugin-workflow's recovery publishes ` +
      `executions queued for over a minute again every 5 minutes); "after" is once the queue was empty too (waited ` +
      `${num(memory.queueDrainSeconds)} s more, ${num(memory.after.queueMessages, 0)} messages left)` +
      `${memory.gcExposed ? '; each figure after a forced GC (--expose-gc)' : ' (no GC exposed)'}.`,
    '',
    '| | RSS MB | heapUsed MB |',
    '| --- | ---: | ---: |',
    `| before | ${num(memory.before.rssMb)} | ${num(memory.before.heapUsedMb)} |`,
    `| peak during (1 s samples, no GC) | ${num(memory.peakRssMb)} | ${num(memory.peakHeapUsedMb)} |`,
    `| after the load (queue not yet run) | ${num(memory.afterLoad.rssMb)} | ${num(memory.afterLoad.heapUsedMb)} |`,
    `| all run (event queue not yet empty) | ${num(memory.afterRun.rssMb)} | ${num(memory.afterRun.heapUsedMb)} |`,
    `| after (all run, event queue empty) | ${num(memory.after.rssMb)} | ${num(memory.after.heapUsedMb)} |`,
    `| \`rssGrowthAfterMb\` / \`heapUsedGrowthAfterMb\` | **${num(memory.rssGrowthAfterMb)}** | **${num(memory.heapUsedGrowthAfterMb)}** |`,
    '',
    `Heap per queued execution (after the load, against before): ${num(memory.heapBytesPerQueuedExecution, 0)} bytes. ` +
      `Heap left behind per request once all ran: ${num(memory.heapGrowthBytesPerRequestAtRun, 1)} bytes; ` +
      `once the queue was empty too (\`heapGrowthBytesPerRequest\`): **${num(memory.heapGrowthBytesPerRequest, 1)} bytes**.`,
  ];
}

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

/** A profile's section: its heading, what `describe` says of it, then its self time by package and by function. */
function profileSection(
  title: string,
  profile: ProfiledLoad | Skipped | undefined,
  describe: (profile: ProfiledLoad) => string[],
): string[] {
  if (!profile) {
    return [];
  }
  if (isSkipped(profile)) {
    return [`### ${title}`, '', profile.skipped, ''];
  }
  return [
    `### ${title}`,
    '',
    ...describe(profile),
    '| package | self ms | share of busy |',
    '| --- | ---: | ---: |',
    ...profile.topPackages.slice(0, 12).map((p) => `| ${p.package} | ${num(p.selfMs, 0)} | ${pct(p.share)} |`),
    '',
    '| function | where | self ms | share |',
    '| --- | --- | ---: | ---: |',
    ...profile.topFunctions
      .slice(0, 15)
      .map((f) => `| \`${f.function}\` | ${f.location.replace(/^.*node_modules\//, '')} | ${num(f.selfMs, 0)} | ${pct(f.share)} |`),
    '',
  ];
}

function asyncProfileLines(profile: ProfiledLoad): string[] {
  return [
    `A separate app child under \`node --cpu-prof\`, async webhook load (${num(profile.load.rps)} req/s, p99 ` +
      `${num(profile.load.p99Ms)} ms while profiled), ${profile.windowSeconds} s window` +
      `${profile.wholeProfile ? ' (whole profile: the load window was not found)' : ''}: ${num(profile.busyMs, 0)} ms busy CPU ` +
      `= ${pct(profile.busyShareOfWindow)} of one core over the window (the rest: waiting). ` +
      `Profile: \`${profile.file}\` (not committed).`,
    '',
    `- webhook's own parsing and mapping (samples with webhookBody/bodyParsers/requestContext on the stack: reading ` +
      `and parsing the body, headers, query string, rows, including the qs/lodash/JSON calls they make): ` +
      `**${pct(profile.parsingInclusiveShare)}** of busy CPU`,
    `- the whole request path besides recording (samples with requestContext/basicAuth/httpAnswer/WebhookRequestHandler ` +
      `on the stack: also auth, guard, request log, writing the answer through koa): ${pct(profile.ourInclusiveShare)}`,
    `- self time in those files only: ${pct(profile.ourSelfShare)} (\`${JSON.stringify(profile.ourFilesSelfMs)}\` ms)`,
    `- recording the execution (GroupCommitRecorder or EngineQueueRecorder on the stack; not in the share above): ` +
      `${profile.recorderInclusiveShare === undefined ? '-' : pct(profile.recorderInclusiveShare)}`,
    `- any src/server file on the stack (also the synchronous part of writing the execution): ${pct(profile.pluginInclusiveShare)}`,
    '',
    'Where the parsing and mapping goes (its samples by the innermost function of webhookBody/bodyParsers/' +
      'requestContext/queryString on the stack, including what that function calls):',
    '',
    '| function | where | ms | share of busy |',
    '| --- | --- | ---: | ---: |',
    ...(profile.parsingByFunction ?? [])
      .slice(0, 12)
      .map((f) => `| \`${f.function}\` | ${f.location} | ${num(f.ms, 0)} | ${pct(f.share)} |`),
    '',
  ];
}

function syncProfileLines(profile: ProfiledLoad): string[] {
  return [
    `The sync webhook (Condition -> Response, run by the workflow engine inside each request) under load in a separate ` +
      `app child under \`node --cpu-prof\`: ${num(profile.load.rps)} req/s, p99 ${num(profile.load.p99Ms)} ms while ` +
      `profiled, ${profile.windowSeconds} s window: ${num(profile.busyMs, 0)} ms busy CPU = ` +
      `${pct(profile.busyShareOfWindow)} of one core over the window (the rest idle: waiting, e.g. for the database), ` +
      `${num(profile.busyMsPerRequest, 2)} ms of CPU a request. Profile: \`${profile.file}\` (not committed).`,
    '',
    'Self time by what the code does for the app (package groups, `groupOfPackage` in bench/lib/cpuProfile.ts). Self ' +
      'time only: the lodash and moment calls sequelize makes count as "other packages", so the database share is a ' +
      'lower bound.',
    '',
    '| group | self ms | share of busy |',
    '| --- | ---: | ---: |',
    ...profile.byGroup.map((g) => `| ${g.group} | ${num(g.selfMs, 0)} | ${pct(g.share)} |`),
    '',
  ];
}

function cpuLines(results: Results): string[] {
  if (!results.cpuProfile) {
    return ['Not profiled in this run (`npm run bench -- --cpu-prof` adds it).', ''];
  }
  return [
    'The app runs from the TypeScript sources through ts-node (transpile-only), as the tests do; bench/server.ts ' +
      "switches ts-node's source-mapped stack formatting off once the app is up (sequelize formats a stack per SQLite " +
      'query), so the profile shows what a built plugin costs.',
    '',
    ...profileSection('SQLite file (product default)', results.cpuProfile, asyncProfileLines),
    ...profileSection('SQLite :memory:', results.cpuProfileSqliteMemory, asyncProfileLines),
    ...profileSection('PostgreSQL (group commit)', results.cpuProfilePostgres, asyncProfileLines),
    ...profileSection('Sync webhook, SQLite file', results.cpuProfileSync, syncProfileLines),
    ...profileSection('Sync webhook, PostgreSQL', results.cpuProfileSyncPostgres, syncProfileLines),
  ];
}

function appLogLines(results: Results): string[] {
  const logs = results.appLogs;
  if (!logs || !Object.keys(logs).length) {
    return [];
  }
  return [
    '## What the app logged',
    '',
    'Counted in each app child\'s console log (bench/.tmp/logs, not committed): error lines, and how many name SQLITE_BUSY.',
    '',
    '| app | log MB | error lines | SQLITE_BUSY lines |',
    '| --- | ---: | ---: | ---: |',
    ...Object.entries(logs).map(([name, log]) => `| ${name} | ${num(log.megabytes)} | ${num(log.errorLines, 0)} | ${num(log.sqliteBusyLines, 0)} |`),
    '',
  ];
}

/** Plain statements computed from this run's figures (no judgement that the numbers do not carry). */
function readingLines(results: Results): string[] {
  const lines: string[] = [];
  const r = (name: string) => results[name] as number | undefined;
  const { drain, memory, syncWebhook, syncAfterAsyncLoad } = results;
  if (drain) {
    lines.push(
      drain.lostExecutions === 0 && drain.duplicateExecutions === 0 && drain.settled
        ? `- Drain: all ${num(drain.ok2xx, 0)} acknowledged deliveries ran exactly once; the last ran ${num(drain.seconds)} s after the last answer.`
        : `- Drain: ${drain.lostExecutions} lost, ${drain.duplicateExecutions} duplicated, ${drain.pending} still pending after ${num(drain.seconds)} s.`,
    );
  }
  if (r('asyncVsNocobaseFloor') !== undefined) {
    lines.push(`- The async webhook answers ${times(r('asyncVsNocobaseFloor'))} the requests/s of NocoBase's trivial public action (${times(r('nocobaseFloorVsBareNode'))} of bare Node).`);
  }
  if (r('asyncEngineHeldVsNocobaseFloor') !== undefined) {
    lines.push(
      `- With the engine held during the window (acknowledgements only; the executions run afterwards): ` +
        `${times(r('asyncEngineHeldVsNocobaseFloor'))} the floor on the SQLite file` +
        `${r('postgresAsyncEngineHeldVsNocobaseFloor') !== undefined ? `, ${times(r('postgresAsyncEngineHeldVsNocobaseFloor'))} on PostgreSQL` : ''}.`,
    );
  }
  if (r('commitMedianMs') !== undefined) {
    lines.push(
      `- One commit (median): ${num(r('commitMedianMs'), 2)} ms on the SQLite file` +
        `${r('sqliteMemoryCommitMedianMs') !== undefined ? `, ${num(r('sqliteMemoryCommitMedianMs'), 2)} ms on :memory:` : ''}` +
        `${r('postgresCommitMedianMs') !== undefined ? `, ${num(r('postgresCommitMedianMs'), 2)} ms on PostgreSQL` : ''}.`,
    );
  }
  if (r('loggerErrorFloorVsDefaultFloor') !== undefined) {
    lines.push(`- Default request logging: the floor does ${times(r('loggerErrorFloorVsDefaultFloor'))} and the async webhook ${times(r('loggerErrorAsyncVsDefaultAsync'))} the requests/s at LOGGER_LEVEL=error.`);
  }
  if (r('postgresAsyncVsNocobaseFloor') !== undefined) {
    const pg = results.postgres as PostgresResults;
    lines.push(
      `- On PostgreSQL (group commit): the async webhook answers ${times(r('postgresAsyncVsNocobaseFloor'))} the requests/s of the ` +
        `same app's floor, sync ${times(r('postgresSyncVsNocobaseFloor'))}; drain of ${num(pg.drain?.requests, 0)}: ` +
        `${pg.drain?.lostExecutions ?? '-'} lost, ${pg.drain?.duplicateExecutions ?? '-'} duplicated.`,
    );
  }
  if (r('ourCpuSharePostgres') !== undefined) {
    lines.push(`- The webhook's own parsing and mapping on PostgreSQL: ${(r('ourCpuSharePostgres')! * 100).toFixed(1)}% of the app's busy CPU under async load (the whole request path besides recording: ${(r('requestPathCpuSharePostgres')! * 100).toFixed(1)}%).`);
  }
  if (r('sqliteMemoryAsyncVsSqliteFileAsync') !== undefined) {
    lines.push(`- SQLite :memory: instead of the file: async ${times(r('sqliteMemoryAsyncVsSqliteFileAsync'))}, sync ${times(r('sqliteMemorySyncVsSqliteFileSync'))} the requests/s.`);
  }
  if (r('sqliteWalAsyncVsNocobaseFloor') !== undefined) {
    lines.push(
      `- SQLite file in WAL journal mode (an operator's setting; commit ${num(r('sqliteWalCommitMedianMs'), 2)} ms): async ` +
        `${times(r('sqliteWalAsyncVsNocobaseFloor'))} the same app's floor and ${times(r('sqliteWalAsyncVsSqliteFileAsync'))} ` +
        `the default mode's req/s; sync ${times(r('sqliteWalSyncVsSqliteFileSync'))} the default mode's` +
        `${r('sqliteWalSyncVsN8n') !== undefined ? ` (${times(r('sqliteWalSyncVsN8n'))} n8n's, p99 ${times(r('sqliteWalSyncP99VsN8nP99'))})` : ''}.`,
    );
  }
  if (syncWebhook && syncAfterAsyncLoad) {
    lines.push(`- Sync webhook p50: ${num(syncWebhook.p50Ms)} ms on a quiet app, ${num(syncAfterAsyncLoad.p50Ms)} ms right after the async load (${num(syncAfterAsyncLoad.failures, 0)} failures).`);
  }
  if (memory) {
    lines.push(`- Memory, after minus before ${num(memory.executions, 0)} executions: RSS ${num(memory.rssGrowthAfterMb)} MB, heapUsed ${num(memory.heapUsedGrowthAfterMb)} MB.`);
  }
  if (r('ourCpuShare') !== undefined) {
    lines.push(`- The webhook's own parsing and mapping: ${(r('ourCpuShare')! * 100).toFixed(1)}% of the app's busy CPU under async load (the whole request path besides recording: ${(r('requestPathCpuShare')! * 100).toFixed(1)}%).`);
  }
  for (const [database, profile] of [
    ['the SQLite file', results.cpuProfileSync],
    ['PostgreSQL', results.cpuProfileSyncPostgres],
  ] as const) {
    if (profile && !isSkipped(profile)) {
      const shareOf = (group: PackageGroup) => pct(groupShare(profile, group));
      lines.push(
        `- Sync webhook profiled on ${database}: ${num(profile.busyMsPerRequest, 2)} ms of CPU a request, the app busy ` +
          `${pct(profile.busyShareOfWindow)} of the window; self time: this plugin ${shareOf('this plugin')}, the workflow ` +
          `engine ${shareOf('workflow engine')}, database ${shareOf('database')}, logging ${shareOf('logging')}.`,
      );
    }
  }
  if (r('ourAsyncVsN8n') !== undefined) {
    lines.push(`- Against n8n ${'(same machine, same requests)'}: async ${times(r('ourAsyncVsN8n'))} its req/s (p99 ${times(r('ourAsyncP99VsN8nP99'))}), sync ${times(r('ourSyncVsN8n'))} (p99 ${times(r('ourSyncP99VsN8nP99'))}).`);
  }
  if (r('ourAsyncVsNodeRed') !== undefined) {
    lines.push(`- Against Node-RED (on Node 22; stores nothing): async ${times(r('ourAsyncVsNodeRed'))} its req/s, sync ${times(r('ourSyncVsNodeRed'))}.`);
  }
  return lines.length ? ['## Reading this run', '', ...lines, ''] : [];
}

function skippedLines(results: Results): string[] {
  const lines: string[] = [];
  const note = (name: string, value: unknown) => isSkipped(value) && lines.push(`- ${name}: ${value.skipped}`);
  note('LOGGER_LEVEL=error variant', results.loggerError);
  note('SQLite :memory: variant', results.sqliteMemory);
  note('SQLite WAL variant', results.sqliteWal);
  note('PostgreSQL', results.postgres);
  note('Node-RED', results.peers.nodeRed);
  note('n8n', results.peers.n8n);
  return lines.length ? lines : ['Nothing.'];
}

/** What ran unmeasured before the figures. Runs before the request-count warm-up had one warm-up for every figure. */
function warmupSentence(settings: Results['settings']): string {
  const app = `${settings.appWarmupSeconds ?? 0} s of unmeasured floor requests before a throughput app's first figure`;
  const profiles = `a profile's window follows ${num(settings.profileWarmupRequests, 0)} requests of its async load, ${num(settings.profileSyncWarmupRequests, 0)} of its sync load`;
  if (!settings.warmupRequests) {
    return `after a ${settings.warmupSeconds} s warm-up (and ${settings.appWarmupSeconds ?? 0} s of unmeasured floor requests before an app's first figure${settings.profileWarmupRequests ? `; ${profiles}` : ''})`;
  }
  return (
    `after an unmeasured warm-up of the same load: ${num(settings.warmupRequests, 0)} requests, or as many as ` +
    `${num(settings.warmupCapSeconds, 0)} s allow a slower target, before each throughput figure (V8 optimizes code that runs ` +
    `once a request only after some thousands of requests; the tables' warm-up column says what each target got; none ` +
    `before a figure that repeats a load its app has just run: the sync webhook after the async load, the engine held); ` +
    `${settings.warmupSeconds} s before each body-size and feature-cost figure; ${app}; ${profiles}`
  );
}

export function renderMarkdown(results: Results): string {
  const { machine, settings } = results;
  return [
    '# Benchmark: Webhook event trigger',
    '',
    `Produced by \`${results.command}\` on ${results.date} (${results.quick ? '**quick** run' : 'full run'}, ` +
      `${results.runSeconds ?? '?'} s); driver on Node ${results.nodeVersion}; ${machine.cpus} cores (${machine.cpuModel}), ` +
      `${machine.memoryGb} GB. Plugin code: commit \`${results.code.commit}\`` +
      `${results.code.srcModified ? ' plus uncommitted changes in src/' : ''} (copied at the start, so every app of the ` +
      'run measures the same code). Every figure below comes from this one run; the Node version that answered ' +
      'stands next to it.',
    '',
    `autocannon ${settings.connections} connections, ${settings.durationSeconds} s per figure ${warmupSentence(settings)}, ` +
      'all to 127.0.0.1. Every target gets the same request: POST, 5 query parameters, Basic auth and 3 other ' +
      `headers, the same ${settings.requestBodyBytes}-byte JSON body. Each target runs in its own process; the load ` +
      'generator (this driver) in another. The NocoBase app is `createWebhookApp()` (ACL on, plugin-workflow 2.2.15) ' +
      'on a SQLite file (PostgreSQL in its own section) with NocoBase\'s default logging (info, console + daily files) ' +
      'unless marked `LOGGER_LEVEL=error`. ' +
      'The async workflows have no nodes: the figure is the trigger plus running an empty execution on the same process.',
    '',
    ...readingLines(results),
    '## Throughput and latency',
    '',
    ...throughputTable(results),
    '',
    '## Ratios (same run)',
    '',
    ...ratioLines(results),
    '',
    '## Drain: is every 2xx an execution, exactly once?',
    '',
    ...drainLines(results.drain),
    '',
    '## PostgreSQL',
    '',
    ...postgresLines(results),
    '',
    ...commitLines(results),
    '## Body size',
    '',
    ...bodySizeLines(results),
    ...featureCostLines(results),
    '',
    '## Memory',
    '',
    ...memoryLines(results),
    '',
    '## CPU profile',
    '',
    ...cpuLines(results),
    ...appLogLines(results),
    '## Left out in this run',
    '',
    ...skippedLines(results),
    '',
    'All figures by name: `bench/results.json`. The machine is shared and has 2 cores: the app and the load generator ' +
      'take one each, and other work on the machine competes with both ("load avg" is the 1-minute load average when ' +
      'a measurement ended; about 2 is this benchmark alone). Treat single figures as orders of magnitude and compare ' +
      'ratios within a run.',
    '',
  ].join('\n');
}
