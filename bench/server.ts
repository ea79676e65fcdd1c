/**
 * The benchmark's NocoBase app, run as a child of bench/run.ts so that the load generator does not share its event
 * loop: a real app (createWebhookApp, ACL on) with this plugin on a SQLite file (or on the database DB_DIALECT and the
 * DB_* variables name: PostgreSQL), default logging unless LOGGER_LEVEL is set, served on 127.0.0.1. Sends `ready`
 * (port, paths of the workflows) over IPC and prints it on stdout, then answers control messages: memory, gc, clock,
 * executions, queue, engine, commitProbe, stop.
 */
import './lib/serverEnv';

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import PluginWorkflowServer from '@nocobase/plugin-workflow';
import { MemoryEventQueueAdapter, Plugin } from '@nocobase/server';
import type { MockServer } from '@nocobase/test';
import type { Context, Next } from 'koa';
import { QueryTypes } from 'sequelize';

import type {
  CommitProbe,
  ControlCommand,
  ControlRequest,
  ExecutionCounts,
  QueueFigures,
  ServerReady,
  WorkflowName,
} from './lib/protocol';
import { ASYNC_WEBHOOK_CONFIG, QUERY_STRING, SIGNED_WEBHOOK_CONFIG } from './lib/traffic';

type AppHelpers = typeof import('../src/server/__tests__/helpers/app');

/**
 * The plugin and its test helpers, from the copy of src/ the driver took when the run began (BENCH_SRC): every app
 * of one run measures the same code even while src/ is being edited.
 */
const sourceRoot = process.env.BENCH_SRC ?? path.resolve(__dirname, '..', 'src');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const helpers = require(path.join(sourceRoot, 'server', '__tests__', 'helpers', 'app')) as AppHelpers;
const { WEBHOOK_APP_PLUGINS, addPaymentExample, createWebhookApp, createWebhookWorkflow, setSqliteJournalMode, webhookUrl } =
  helpers;

/** NocoBase's own cost: a public action that answers `ok` after the same middleware chain (body parsing included). */
class BenchFloorPlugin extends Plugin {
  async load() {
    this.app.resourceManager.define({
      name: 'benchFloor',
      actions: {
        async ping(ctx: Context & { withoutDataWrapping?: boolean }, next: Next) {
          ctx.withoutDataWrapping = true;
          ctx.type = 'text/plain';
          ctx.body = 'ok';
          await next();
        },
      },
    });
    this.app.acl.allow('benchFloor', 'ping', 'public');
  }
}

async function createWorkflows(app: MockServer): Promise<ServerReady['workflows']> {
  const endpoint = (workflow: { key: string }) => ({ key: workflow.key, path: webhookUrl(workflow, `?${QUERY_STRING}`) });
  const asyncNamed = async (title: string) =>
    endpoint(await createWebhookWorkflow(app, { title, sync: false, config: ASYNC_WEBHOOK_CONFIG }));

  const sync = await createWebhookWorkflow(app, { title: 'bench sync', sync: true, config: { request: {} } });
  await addPaymentExample(sync);
  return {
    async: await asyncNamed('bench async'),
    sync: endpoint(sync),
    drain: await asyncNamed('bench drain'),
    bodySize: await asyncNamed('bench body size'),
    memory: await asyncNamed('bench memory'),
    unsigned1MB: await asyncNamed('bench unsigned 1 MB'),
    signed1MB: endpoint(await createWebhookWorkflow(app, { title: 'bench signed 1 MB', config: SIGNED_WEBHOOK_CONFIG })),
    logOn: endpoint(
      await createWebhookWorkflow(app, { title: 'bench log on', config: { ...ASYNC_WEBHOOK_CONFIG, requestLog: { enabled: true } } }),
    ),
    logOff: endpoint(
      await createWebhookWorkflow(app, { title: 'bench log off', config: { ...ASYNC_WEBHOOK_CONFIG, requestLog: { enabled: false } } }),
    ),
  } satisfies Record<WorkflowName, unknown>;
}

/** SQL for `context.body.deliveryId` of an execution row (`context` is a JSON column: TEXT on SQLite, json on PostgreSQL). */
function deliveryIdOf(app: MockServer): string {
  const dialect = app.db.options.dialect;
  switch (dialect) {
    case 'sqlite':
      return `json_extract(context, '$.body.deliveryId')`;
    case 'postgres':
      // `->` and `->>` work on json and jsonb alike.
      return `context->'body'->>'deliveryId'`;
    case 'mysql':
    case 'mariadb':
      return `JSON_UNQUOTE(JSON_EXTRACT(context, '$.body.deliveryId'))`;
    default:
      throw new Error(`counting distinct deliveries is not implemented for ${dialect}`);
  }
}

async function countExecutions(app: MockServer, key: string, distinct = false): Promise<ExecutionCounts> {
  const table = app.db.getCollection('executions').quotedTableName();
  const rows = await app.db.sequelize.query<{ status: number | null; n: number }>(
    `SELECT status, COUNT(*) AS n FROM ${table} WHERE key = :key GROUP BY status`,
    { replacements: { key }, type: QueryTypes.SELECT },
  );
  const byStatus: Record<string, number> = {};
  let total = 0;
  for (const { status, n } of rows) {
    byStatus[status === null ? 'queueing' : String(status)] = Number(n);
    total += Number(n);
  }
  if (!distinct) {
    return { total, byStatus };
  }
  // Only asked for the drain's small bodies: reading megabyte contexts would load the app for nothing.
  const [deliveries] = await app.db.sequelize.query<{ n: number }>(
    `SELECT COUNT(DISTINCT ${deliveryIdOf(app)}) AS n FROM ${table} WHERE key = :key`,
    { replacements: { key }, type: QueryTypes.SELECT },
  );
  return { total, byStatus, distinctDeliveries: Number(deliveries?.n ?? 0) };
}

/** The queue's message lists and reads in progress are not part of its typed API. */
interface MemoryQueueState {
  queues: Map<string, unknown[]>;
  reading: Map<string, unknown[]>;
}

function queueFigures(app: MockServer): QueueFigures {
  const adapter: unknown = (app.eventQueue as unknown as { adapter?: unknown }).adapter;
  if (!(adapter instanceof MemoryEventQueueAdapter)) {
    return { pending: null };
  }
  const { queues, reading } = adapter as unknown as MemoryQueueState;
  let pending = 0;
  for (const list of [...queues.values(), ...reading.values()]) {
    pending += list.length;
  }
  return { pending };
}

/** The switch plugin-workflow's queue subscription reads (`idle`) before handing out the next execution. */
interface EngineDispatcher {
  setReady(ready: boolean): void;
}

function dispatcherOf(app: MockServer): EngineDispatcher {
  const plugin: unknown = app.pm.get(PluginWorkflowServer);
  const dispatcher = (plugin as { dispatcher?: Partial<EngineDispatcher> } | undefined)?.dispatcher;
  if (typeof dispatcher?.setReady !== 'function') {
    throw new Error('plugin-workflow has no dispatcher with setReady: cannot hold the engine');
  }
  return dispatcher as EngineDispatcher;
}

const median = (sorted: number[]) => sorted[Math.floor(sorted.length / 2)];
const roundMs = (ms: number) => Number(ms.toFixed(2));

/** On a quiet app: the latency of one committed write, the flush to disk included, through the app's own connection. */
async function probeCommits(app: MockServer, commits: number): Promise<CommitProbe> {
  const { sequelize } = app.db;
  await sequelize.query('CREATE TABLE IF NOT EXISTS bench_commit_probe (at VARCHAR(32))');
  const time = async (sql: string, replacements?: unknown[]) => {
    const started = performance.now();
    await sequelize.query(sql, replacements ? { replacements } : {});
    return performance.now() - started;
  };
  const writes: number[] = [];
  const reads: number[] = [];
  for (let index = 0; index < commits; index += 1) {
    writes.push(await time('INSERT INTO bench_commit_probe (at) VALUES (?)', [new Date().toISOString()]));
    reads.push(await time('SELECT 1'));
  }
  await sequelize.query('DROP TABLE bench_commit_probe');
  writes.sort((a, b) => a - b);
  reads.sort((a, b) => a - b);
  return {
    commits,
    medianMs: roundMs(median(writes)),
    p90Ms: roundMs(writes[Math.floor(writes.length * 0.9)]),
    selectMedianMs: roundMs(median(reads)),
  };
}

async function control(command: ControlCommand, app: MockServer, server: http.Server): Promise<unknown> {
  switch (command.cmd) {
    case 'memory': {
      const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
      return { rss, heapUsed, heapTotal, external };
    }
    case 'gc': {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      return { collected: Boolean(gc) };
    }
    case 'clock':
      // Same clock (CLOCK_MONOTONIC, µs) as the sample timestamps of a --cpu-prof profile.
      return { monotonicUs: Number(process.hrtime.bigint() / 1000n) };
    case 'executions':
      return countExecutions(app, command.key, command.distinct);
    case 'queue':
      return queueFigures(app);
    case 'engine':
      dispatcherOf(app).setReady(command.run);
      return { running: command.run };
    case 'commitProbe':
      return probeCommits(app, command.commits);
    case 'stop':
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.stop();
      // A normal exit (not a signal) so that --cpu-prof writes its profile.
      setImmediate(() => process.exit(0));
      return { stopped: true };
  }
}

async function main() {
  const app = await createWebhookApp({ plugins: [...WEBHOOK_APP_PLUGINS, BenchFloorPlugin] });
  // ts-node maps stack traces through source maps; sequelize formats a stack for every SQLite query, which would bill
  // the app for source-map lookups a built plugin in a production app never does. Everything is loaded by now.
  delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
  const journalMode = process.env.BENCH_SQLITE_JOURNAL_MODE
    ? await setSqliteJournalMode(app, process.env.BENCH_SQLITE_JOURNAL_MODE)
    : undefined;
  const workflows = await createWorkflows(app);
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(Number(process.env.BENCH_PORT ?? 0), '127.0.0.1', resolve));

  const ready: ServerReady = {
    type: 'ready',
    port: (server.address() as AddressInfo).port,
    node: process.version,
    dialect: String(app.db.options.dialect),
    ...(journalMode ? { journalMode } : {}),
    floorPath: `/api/benchFloor:ping?${QUERY_STRING}`,
    workflows,
  };
  process.stdout.write(`[bench-server] ${JSON.stringify(ready)}\n`);
  process.send?.(ready);

  process.on('message', (message: ControlRequest) => {
    control(message.command, app, server).then(
      (result) => process.send?.({ type: 'reply', id: message.id, result }),
      (error: Error) => process.send?.({ type: 'reply', id: message.id, error: error.message }),
    );
  });
  // The driver going away (crash, Ctrl-C) must not leave the app running.
  process.on('disconnect', () => process.exit(0));
}

main().catch((error: Error) => {
  process.stderr.write(`[bench-server] ${error.stack}\n`);
  process.exit(1);
});
