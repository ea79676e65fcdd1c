/**
 * `npm run bench [-- --quick] [-- --cpu-prof]`: measures the webhook trigger of this plugin in a real NocoBase app
 * against a bare Node server, NocoBase's own floor, and (when installed) Node-RED and n8n, all in one run, and writes
 * bench/results.json and bench/RESULTS.md. Targets run in child processes; this process only generates load.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  measureAsync,
  measureAsyncEngineHeld,
  measureBodySizes,
  measureDrain,
  measureFloor,
  measureMemory,
  measureSync,
  probeCommits,
  warmUpApp,
} from './lib/appScenarios';
import type { AppProcess } from './lib/appScenarios';
import { countAppLogLines } from './lib/appLogs';
import { measureFeatureCosts } from './lib/featureCosts';
import { TargetProcess, killAllChildren } from './lib/child';
import { groupShare, summarizeCpuProfile } from './lib/cpuProfile';
import { measure } from './lib/load';
import type { LoadFigures } from './lib/load';
import { parseOptions } from './lib/options';
import type { BenchOptions } from './lib/options';
import { peerSpec, startN8n, startNodeRed } from './lib/peers';
import { postgresAppEnv, postgresSettings, probePostgres, recreateDatabase } from './lib/postgres';
import type { PostgresSettings } from './lib/postgres';
import type { PeerName, RunningPeer } from './lib/peers';
import type { ServerReady } from './lib/protocol';
import { addRatios, renderMarkdown } from './lib/report';
import type { PostgresResults, Results } from './lib/report';
import { BODY_JSON, QUERY_STRING } from './lib/traffic';

const benchDir = __dirname;
const repoRoot = path.resolve(benchDir, '..');
const tmpDir = path.join(benchDir, '.tmp');
const logDir = path.join(tmpDir, 'logs');
const sourceSnapshot = path.join(tmpDir, 'src');

/** Copies src/ for the app children and says which code that is: src/ may be edited while the run goes on. */
function snapshotSource() {
  fs.cpSync(path.join(repoRoot, 'src'), sourceSnapshot, { recursive: true });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
  return { commit: git('rev-parse', '--short', 'HEAD'), srcModified: git('status', '--porcelain', '--', 'src') !== '' };
}

function log(message: string) {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function brief(figures: Pick<LoadFigures, 'rps' | 'p50Ms' | 'p99Ms' | 'failures'>) {
  return `${figures.rps} req/s, p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, failures ${figures.failures}`;
}

/** An app child on a SQLite file of its own unless `env` names another database (see startPostgresApp). */
async function startApp(name: string, env: NodeJS.ProcessEnv, execArgv: string[] = []): Promise<AppProcess> {
  const folder = path.join(tmpDir, name);
  fs.mkdirSync(folder, { recursive: true });
  return TargetProcess.start<ServerReady>({
    script: path.join(benchDir, 'server.ts'),
    execArgv: ['--expose-gc', ...execArgv, '-r', 'ts-node/register/transpile-only'],
    cwd: repoRoot,
    env: {
      ...process.env,
      TS_NODE_PROJECT: path.join(benchDir, 'tsconfig.json'),
      BENCH_SRC: sourceSnapshot,
      // Explicit, so that a DB_DIALECT in the shell does not move the SQLite apps elsewhere.
      DB_DIALECT: 'sqlite',
      DB_STORAGE: path.join(folder, 'nocobase.sqlite'),
      STORAGE_PATH: path.join(folder, 'storage'),
      ...env,
    },
    logFile: path.join(logDir, `${name}.log`),
  });
}

/** Runs a scenario on an app started for it alone, then stops the app (and removes its SQLite file). */
async function onFreshApp<T>(start: () => Promise<AppProcess>, scenario: (app: AppProcess) => Promise<T>): Promise<T> {
  const app = await start();
  try {
    return await scenario(app);
  } finally {
    await app.stop(true);
  }
}

/** An app child on the benchmark's PostgreSQL database, dropped and created first: each app starts clean. */
async function startPostgresApp(name: string, settings: PostgresSettings, execArgv: string[] = []): Promise<AppProcess> {
  await recreateDatabase(settings);
  const app = await startApp(name, { ...postgresAppEnv(settings), DB_STORAGE: undefined }, execArgv);
  if (app.ready.dialect !== 'postgres') {
    await app.stop(true);
    throw new Error(`${name} runs on ${app.ready.dialect}, not on PostgreSQL`);
  }
  return app;
}

async function benchBareNode(options: BenchOptions) {
  const bare = await TargetProcess.start<{ type: 'ready'; port: number; node: string }>({
    script: path.join(benchDir, 'bareNode.js'),
    logFile: path.join(logDir, 'bare-node.log'),
  });
  try {
    return await measure({
      url: `http://127.0.0.1:${bare.ready.port}/hook?${QUERY_STRING}`,
      body: BODY_JSON,
      node: bare.ready.node,
      durationSeconds: options.durationSeconds,
      warmup: options.warmup,
    });
  } finally {
    await bare.stop(false);
  }
}

/**
 * The default app (request logging on, as NocoBase ships), on a SQLite file or on PostgreSQL. A full run gives each
 * scenario group a fresh app and database, so that executions still queued by one group do not run during the next;
 * a quick run shares one app.
 */
class DefaultApps {
  private shared?: AppProcess;

  constructor(
    private readonly options: BenchOptions,
    private readonly prefix = 'app',
    private readonly start: (name: string) => Promise<AppProcess> = (name) => startApp(name, {}),
  ) {}

  async use<T>(group: string, scenario: (app: AppProcess) => Promise<T>): Promise<T> {
    if (!this.options.isolate) {
      this.shared ??= await this.boot(this.prefix);
      return scenario(this.shared);
    }
    return onFreshApp(() => this.boot(`${this.prefix}-${group}`), scenario);
  }

  async close() {
    await this.shared?.stop(true);
  }

  private async boot(name: string) {
    const app = await this.start(name);
    log(
      `${name}: NocoBase up on port ${app.ready.port} (${app.ready.node}, ${app.ready.dialect}); ` +
        `log in ${path.relative(repoRoot, logDir)}/${name}.log`,
    );
    return app;
  }
}

async function benchDefaultApp(options: BenchOptions, results: Results) {
  const apps = new DefaultApps(options);
  const drain = async () => {
    results.drain = await apps.use('drain', (app) => measureDrain(app, options));
    log(
      `drain: ${results.drain.ok2xx} accepted at ${results.drain.sendRps} req/s; ${results.drain.resolved} resolved, ` +
        `${results.drain.pending} pending ${results.drain.seconds} s after the last answer; ` +
        `lost ${results.drain.lostExecutions}, duplicated ${results.drain.duplicateExecutions}`,
    );
    save(results, false);
  };
  try {
    // On a shared app (quick run) the drain goes first: the backlog the async load leaves would run before the
    // drain's deliveries, and the drain would not settle in time.
    if (options.quick) {
      await drain();
    }
    await apps.use('throughput', async (app) => {
      await warmUpApp(app, options);
      results.commitProbe = await probeCommits(app);
      log(`one commit: median ${results.commitProbe.medianMs} ms (SELECT 1: ${results.commitProbe.selectMedianMs} ms)`);
      results.nocobaseFloor = await measureFloor(app, options);
      log(`nocobaseFloor: ${brief(results.nocobaseFloor)}`);
      // Sync first, on a quiet app; again after the async load, while its executions may still be queued.
      results.syncWebhook = await measureSync(app, options);
      log(`syncWebhook: ${brief(results.syncWebhook)}`);
      results.asyncWebhook = await measureAsync(app, options);
      const pending = results.asyncWebhook.pendingAfterSettle;
      log(`asyncWebhook: ${brief(results.asyncWebhook)} (queue: ${pending} still pending after ${results.asyncWebhook.settleSeconds} s)`);
      if (!options.quick) {
        results.syncAfterAsyncLoad = await measureSync(app, options, true);
        log(`syncAfterAsyncLoad: ${brief(results.syncAfterAsyncLoad)}`);
      }
      // Last: the executions it leaves queued would run during whatever came next.
      results.asyncEngineHeld = await measureAsyncEngineHeld(app, options);
      log(`asyncEngineHeld: ${brief(results.asyncEngineHeld)} (${results.asyncEngineHeld.ranWhileHeld} ran while held)`);
    });
    save(results, false);
    if (!options.quick) {
      await drain();
    }
    results.bodySize = await apps.use('body-size', (app) => measureBodySizes(app, options));
    for (const [label, figures] of Object.entries(results.bodySize)) {
      log(`bodySize ${label}: ${figures.rps} req/s, mean ${figures.meanMs} ms, p99 ${figures.p99Ms} ms, failures ${figures.failures}`);
    }
    results.featureCosts = await apps.use('feature-costs', (app) => measureFeatureCosts(app, options));
    const { signature1MB, requestLog } = results.featureCosts;
    log(`signature on 1 MB: ${signature1MB.rpsRatio}x the req/s without it (+${signature1MB.extraMeanMs} ms mean)`);
    log(`request log: ${requestLog.rpsRatio}x the req/s without it (+${requestLog.extraMeanMs} ms mean)`);
    save(results, false);
    results.memory = await apps.use('memory', (app) => measureMemory(app, options));
    log(
      `memory: rss ${results.memory.before.rssMb} -> peak ${results.memory.peakRssMb} -> after the load ` +
        `${results.memory.afterLoad.rssMb} -> after its ${results.memory.executions} executions ran ${results.memory.afterRun.rssMb} ` +
        `-> queue empty ${results.memory.after.rssMb} MB (heapUsed ${results.memory.before.heapUsedMb} -> ` +
        `${results.memory.afterLoad.heapUsedMb} -> ${results.memory.afterRun.heapUsedMb} -> ${results.memory.after.heapUsedMb} MB; ` +
        `${results.memory.heapGrowthBytesPerRequest} bytes per request left behind)`,
    );
  } finally {
    await apps.close();
  }
}

/** Whether this run measures PostgreSQL: the server to use, or why not. */
async function resolvePostgres(options: BenchOptions): Promise<{ settings: PostgresSettings; version: string } | { skipped: string }> {
  if (options.postgres === 'no') {
    return { skipped: `not run (${options.quick ? 'quick run; add --postgres' : '--no-postgres'})` };
  }
  const settings = postgresSettings();
  const probe = await probePostgres(settings);
  if ('error' in probe) {
    const reason = `PostgreSQL did not answer at ${settings.host}:${settings.port} as ${settings.user} (${probe.error})`;
    if (options.postgres === 'yes') {
      throw new Error(`--postgres: ${reason}; start it (e.g. scripts/ci/postgres.sh) or set DB_HOST/DB_PORT/DB_USER/DB_PASSWORD`);
    }
    return { skipped: `not run: ${reason}` };
  }
  return { settings, version: probe.version };
}

/**
 * Floor, sync, async and drain on PostgreSQL, where the plugin's writes (GroupCommitRecorder: many deliveries, one
 * INSERT) run alongside the engine's instead of in turns with them as on SQLite.
 */
async function benchPostgres(options: BenchOptions, results: Results, postgres: Awaited<ReturnType<typeof resolvePostgres>>) {
  if ('skipped' in postgres) {
    results.postgres = { skipped: postgres.skipped };
    if (options.postgres !== 'no') {
      log(`PostgreSQL: ${postgres.skipped}`);
    }
    return;
  }
  const { settings, version } = postgres;
  const figures: Partial<PostgresResults> = {
    server: { version, host: settings.host, port: settings.port, database: settings.database },
  };
  const apps = new DefaultApps(options, 'app-pg', (name) => startPostgresApp(name, settings));
  const drain = async () => {
    figures.drain = await apps.use('drain', (app) => measureDrain(app, options));
    log(
      `postgres drain: ${figures.drain.ok2xx} accepted at ${figures.drain.sendRps} req/s; ${figures.drain.resolved} resolved, ` +
        `${figures.drain.pending} pending ${figures.drain.seconds} s after the last answer; ` +
        `lost ${figures.drain.lostExecutions}, duplicated ${figures.drain.duplicateExecutions}`,
    );
  };
  try {
    // On a shared app (quick run) the drain goes first: after the async load, the backlog it leaves would run before
    // the drain's deliveries and the drain would not settle in time.
    if (!options.isolate) {
      await drain();
    }
    await apps.use('throughput', async (app) => {
      await warmUpApp(app, options);
      figures.commitProbe = await probeCommits(app);
      log(`postgres one commit: median ${figures.commitProbe.medianMs} ms (SELECT 1: ${figures.commitProbe.selectMedianMs} ms)`);
      figures.nocobaseFloor = await measureFloor(app, options);
      log(`postgres nocobaseFloor: ${brief(figures.nocobaseFloor)}`);
      figures.syncWebhook = await measureSync(app, options);
      log(`postgres syncWebhook: ${brief(figures.syncWebhook)}`);
      figures.asyncWebhook = await measureAsync(app, options);
      const pending = figures.asyncWebhook.pendingAfterSettle;
      log(`postgres asyncWebhook: ${brief(figures.asyncWebhook)} (queue: ${pending} still pending after ${figures.asyncWebhook.settleSeconds} s)`);
      figures.asyncEngineHeld = await measureAsyncEngineHeld(app, options);
      log(`postgres asyncEngineHeld: ${brief(figures.asyncEngineHeld)} (${figures.asyncEngineHeld.ranWhileHeld} ran while held)`);
    });
    figures.featureCosts = await apps.use('feature-costs', (app) => measureFeatureCosts(app, options));
    log(
      `postgres: signature on 1 MB ${figures.featureCosts.signature1MB.rpsRatio}x, ` +
        `request log ${figures.featureCosts.requestLog.rpsRatio}x the req/s without them`,
    );
    if (options.isolate) {
      await drain();
    }
  } finally {
    await apps.close();
    results.postgres = figures as PostgresResults;
  }
}

/** The same async and sync webhooks on SQLite in memory (one shared connection): no file locking, same CPU work. */
async function benchMemoryDb(options: BenchOptions, results: Results) {
  if (!options.memoryDbVariant) {
    results.sqliteMemory = { skipped: 'not run (quick run; add --memory-db-variant)' };
    return;
  }
  await onFreshApp(
    () => startApp('app-sqlite-memory', { DB_STORAGE: ':memory:' }),
    async (app) => {
      const commitProbe = await probeCommits(app);
      const syncWebhook = await measureSync(app, options);
      const asyncWebhook = await measureAsync(app, options);
      results.sqliteMemory = { asyncWebhook, syncWebhook, commitProbe };
      log(`SQLite :memory:: async ${brief(asyncWebhook)}; sync ${brief(syncWebhook)}`);
    },
  );
}

/**
 * The same app on a SQLite file in WAL journal mode: a commit appends to the log and flushes it once, where the
 * default (DELETE) mode writes and flushes a rollback journal and the file. NocoBase leaves the mode to the operator.
 */
async function benchWalDb(options: BenchOptions, results: Results) {
  if (!options.walVariant) {
    results.sqliteWal = { skipped: 'not run (quick run; add --wal-variant)' };
    return;
  }
  await onFreshApp(
    () => startApp('app-sqlite-wal', { BENCH_SQLITE_JOURNAL_MODE: 'wal' }),
    async (app) => {
      if (app.ready.journalMode !== 'wal') {
        results.sqliteWal = { skipped: `SQLite reported journal mode ${app.ready.journalMode} instead of wal` };
        return;
      }
      await warmUpApp(app, options);
      const commitProbe = await probeCommits(app);
      const nocobaseFloor = await measureFloor(app, options);
      const syncWebhook = await measureSync(app, options);
      const asyncWebhook = await measureAsync(app, options);
      results.sqliteWal = { nocobaseFloor, asyncWebhook, syncWebhook, commitProbe };
      log(`SQLite WAL: floor ${nocobaseFloor.rps}, async ${brief(asyncWebhook)}; sync ${brief(syncWebhook)}; commit ${commitProbe.medianMs} ms`);
    },
  );
}

async function benchQuietLogger(options: BenchOptions, results: Results) {
  if (!options.loggerVariant) {
    results.loggerError = { skipped: 'not run (quick run; add --logger-variant)' };
    return;
  }
  await onFreshApp(
    () => startApp('app-logger-error', { LOGGER_LEVEL: 'error' }),
    async (app) => {
      await warmUpApp(app, options);
      const nocobaseFloor = await measureFloor(app, options);
      const syncWebhook = await measureSync(app, options);
      const asyncWebhook = await measureAsync(app, options);
      results.loggerError = { nocobaseFloor, asyncWebhook, syncWebhook };
      log(`LOGGER_LEVEL=error: floor ${nocobaseFloor.rps}, async ${asyncWebhook.rps}, sync ${syncWebhook.rps} req/s`);
    },
  );
}

type ProfiledDatabase = 'sqliteFile' | 'sqliteMemory' | 'postgres';

const PROFILED: Record<ProfiledDatabase, { app: string; label: string }> = {
  sqliteFile: { app: 'app-cpu-prof', label: 'SQLite file' },
  sqliteMemory: { app: 'app-cpu-prof-sqlite-memory', label: 'SQLite :memory:' },
  postgres: { app: 'app-cpu-prof-pg', label: 'PostgreSQL' },
};

/**
 * Profiles a fresh app under an async webhook load: on the SQLite file, on SQLite :memory: (CPU-bound, no file locks)
 * or on PostgreSQL (the plugin's group commit). With `workflow: 'sync'`, under the sync webhook's load instead (the
 * seed's Condition -> Response, run by the workflow engine inside each request): where its time goes.
 */
async function profileLoad(
  options: BenchOptions,
  database: ProfiledDatabase,
  postgres?: PostgresSettings,
  workflow: 'async' | 'sync' = 'async',
): Promise<NonNullable<Results['cpuProfile']>> {
  const { app: appName, label: databaseLabel } = PROFILED[database];
  const name = workflow === 'sync' ? `${appName}-sync` : appName;
  const label = workflow === 'sync' ? `sync webhook, ${databaseLabel}` : databaseLabel;
  const profDir = path.join(tmpDir, 'prof', name);
  fs.mkdirSync(profDir, { recursive: true });
  const execArgv = ['--cpu-prof', '--cpu-prof-dir', profDir];
  const app =
    database === 'postgres'
      ? await startPostgresApp(name, postgres!, execArgv)
      : await startApp(name, database === 'sqliteMemory' ? { DB_STORAGE: ':memory:' } : {}, execArgv);
  const url = `http://127.0.0.1:${app.ready.port}${app.ready.workflows[workflow].path}`;
  let window: { fromUs: number; toUs: number };
  let load: LoadFigures;
  try {
    // Warm the JIT first, then mark the window the summary reads (the profile also covers boot and stop). A sync
    // request runs about 16 SQL statements through sequelize and the engine: fewer requests warm that code up.
    await measure({
      url,
      body: BODY_JSON,
      node: app.ready.node,
      amount: workflow === 'async' ? options.profileWarmupRequests : options.profileSyncWarmupRequests,
    });
    const from = await app.request<{ monotonicUs: number }>({ cmd: 'clock' });
    load = await measure({ url, body: BODY_JSON, node: app.ready.node, durationSeconds: options.durationSeconds });
    const to = await app.request<{ monotonicUs: number }>({ cmd: 'clock' });
    window = { fromUs: from.monotonicUs, toUs: to.monotonicUs };
  } finally {
    await app.stop(true);
  }
  const [profile] = fs.readdirSync(profDir).filter((file) => file.endsWith('.cpuprofile'));
  if (!profile) {
    return { skipped: `the app wrote no .cpuprofile into ${path.relative(repoRoot, profDir)}` };
  }
  const summary = summarizeCpuProfile(path.join(profDir, profile), repoRoot, window);
  const { requests } = load;
  const busyMsPerRequest = requests > 0 ? Number((summary.busyMs / requests).toFixed(3)) : undefined;
  log(
    `cpu profile (${label}): ${load.rps} req/s while profiled, busy ` +
      `${(summary.busyShareOfWindow * 100).toFixed(0)}% of a core (${busyMsPerRequest ?? '-'} ms a request), ` +
      (workflow === 'sync'
        ? `this plugin's own code ${(groupShare(summary, 'this plugin') * 100).toFixed(1)}% self, ` +
          `the workflow engine ${(groupShare(summary, 'workflow engine') * 100).toFixed(1)}%`
        : `parsing and mapping ${(summary.parsingInclusiveShare * 100).toFixed(1)}% of busy CPU (whole request path ` +
          `${(summary.ourInclusiveShare * 100).toFixed(1)}%)`),
  );
  return { workflow, load: { rps: load.rps, p50Ms: load.p50Ms, p99Ms: load.p99Ms }, busyMsPerRequest, ...summary };
}

async function benchCpuProfile(options: BenchOptions, results: Results, postgres: Awaited<ReturnType<typeof resolvePostgres>>) {
  results.cpuProfile = await profileLoad(options, 'sqliteFile');
  results.cpuProfileSync = await profileLoad(options, 'sqliteFile', undefined, 'sync');
  if (options.memoryDbVariant) {
    results.cpuProfileSqliteMemory = await profileLoad(options, 'sqliteMemory');
  }
  if ('settings' in postgres) {
    results.cpuProfilePostgres = await profileLoad(options, 'postgres', postgres.settings);
    results.cpuProfileSyncPostgres = await profileLoad(options, 'postgres', postgres.settings, 'sync');
  }
}

async function benchPeer(name: PeerName, options: BenchOptions, results: Results) {
  const key = name === 'n8n' ? 'n8n' : 'nodeRed';
  const spec = peerSpec(name);
  if (!options.peers) {
    results.peers[key] = { skipped: `not run (${options.quick ? 'quick run; add --peers' : '--no-peers'})` };
    return;
  }
  if (!spec.installed) {
    results.peers[key] = { skipped: `not installed: run npm run bench:peers (installs into bench/.peers/)` };
    log(`${name}: not installed, skipped (npm run bench:peers installs it)`);
    return;
  }
  let peer: RunningPeer;
  try {
    const start = name === 'n8n' ? startN8n : startNodeRed;
    peer = await start(tmpDir, path.join(logDir, `${name}.log`));
  } catch (error) {
    results.peers[key] = { skipped: `could not be started: ${(error as Error).message}` };
    log(`${name}: could not be started, skipped: ${(error as Error).message}`);
    return;
  }
  try {
    const run = (pathName: string) =>
      measure({ url: `${peer.baseUrl}${pathName}`, body: BODY_JSON, node: peer.node, durationSeconds: options.durationSeconds, warmup: options.warmup });
    const hook = await run(peer.hookPath);
    log(`${peer.name} ${peer.version} hook: ${brief(hook)} (${peer.node})`);
    const sync = await run(peer.syncPath);
    log(`${peer.name} ${peer.version} sync: ${brief(sync)} (${peer.node})`);
    results.peers[key] = { name: peer.name, version: peer.version, node: peer.node, hook, sync };
  } finally {
    await peer.stop();
  }
}

/** Written after every group too, so that a run stopped half-way still leaves its figures. */
function save(results: Results, final: boolean, dir = benchDir) {
  if (final) {
    addRatios(results);
  }
  fs.writeFileSync(path.join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  if (final) {
    fs.writeFileSync(path.join(dir, 'RESULTS.md'), renderMarkdown(results));
  }
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  // Before anything runs: an explicit --postgres without a server fails now, not after ten minutes.
  const postgres = await resolvePostgres(options);
  fs.rmSync(tmpDir, { recursive: true, force: true });
  fs.mkdirSync(logDir, { recursive: true });
  const code = snapshotSource();
  const results: Results = {
    code,
    date: new Date().toISOString(),
    quick: options.quick,
    command: ['npm run bench', ...(options.args.length ? ['--', ...options.args] : [])].join(' '),
    nodeVersion: process.version,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memoryGb: Math.round(os.totalmem() / 1024 ** 3) },
    settings: {
      connections: 10,
      durationSeconds: options.durationSeconds,
      warmupRequests: options.warmup.requests ?? 0,
      warmupCapSeconds: options.warmup.seconds,
      warmupSeconds: options.warmupSeconds,
      appWarmupSeconds: options.appWarmupSeconds,
      profileWarmupRequests: options.profileWarmupRequests,
      profileSyncWarmupRequests: options.profileSyncWarmupRequests,
      drainRequests: options.drainRequests,
      bodySizeSeconds: options.bodySizeSeconds,
      memorySeconds: options.memorySeconds,
      requestBodyBytes: Buffer.byteLength(BODY_JSON),
    },
    peers: {},
  } as Results;
  const started = Date.now();
  if (options.profileOnly) {
    try {
      await benchCpuProfile(options, results, postgres);
    } finally {
      killAllChildren();
    }
    results.runSeconds = Math.round((Date.now() - started) / 1000);
    save(results, true, tmpDir);
    log(`done in ${results.runSeconds} s: ${path.relative(repoRoot, tmpDir)}/results.json and RESULTS.md`);
    return;
  }
  try {
    log(`${results.command} on ${process.version}, ${results.machine.cpus} cpus`);
    results.bareNode = await benchBareNode(options);
    log(`bareNode: ${brief(results.bareNode)}`);
    await benchDefaultApp(options, results);
    save(results, false);
    await benchQuietLogger(options, results);
    await benchMemoryDb(options, results);
    await benchWalDb(options, results);
    save(results, false);
    await benchPostgres(options, results, postgres);
    save(results, false);
    if (options.cpuProf) {
      await benchCpuProfile(options, results, postgres);
    }
    await benchPeer('node-red', options, results);
    await benchPeer('n8n', options, results);
  } finally {
    killAllChildren();
  }
  results.runSeconds = Math.round((Date.now() - started) / 1000);
  results.appLogs = await countAppLogLines(logDir);
  save(results, true);
  log(`done in ${results.runSeconds} s: bench/results.json, bench/RESULTS.md`);
}

process.on('SIGINT', () => {
  killAllChildren();
  process.exit(130);
});

main().catch((error: Error) => {
  killAllChildren();
  console.error(`[bench] ${error.stack}`);
  process.exit(1);
});
