import { createMockCluster, createMockServer } from '@nocobase/test';
import type { MockCluster, MockServer, MockServerOptions } from '@nocobase/test';
import type { FlowNodeModel, WorkflowModel } from '@nocobase/plugin-workflow';
import type { Model } from '@nocobase/database';
import { QueryTypes } from 'sequelize';

import { PluginWorkflowWebhookServer } from '../../Plugin';
import { TestInstructionsPlugin } from './TestInstructionsPlugin';

/** The plugins a real app runs this one with; ACL is on, as in production. */
export const WEBHOOK_APP_PLUGINS = [
  'error-handler',
  'field-sort',
  'users',
  'auth',
  'acl',
  'data-source-main',
  'data-source-manager',
  'workflow',
  PluginWorkflowWebhookServer,
  TestInstructionsPlugin,
];

export async function createWebhookApp(options: MockServerOptions = {}): Promise<MockServer> {
  return createMockServer({
    acl: true,
    plugins: WEBHOOK_APP_PLUGINS,
    resourcer: { prefix: '/api' },
    ...options,
  });
}

/**
 * Runs `use` on an app created while the environment variables `env` are set (the plugin reads some, such as
 * `REQUEST_BODY_LIMIT`, as it loads), then destroys it and restores the variables.
 */
let appsUnderEnv = 0;

export async function withAppUnderEnv(env: Record<string, string>, use: (app: MockServer) => Promise<void>): Promise<void> {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  let app: MockServer | undefined;
  try {
    // Beside the test file's own app, which holds the name `main`.
    app = await createWebhookApp({ name: `under-env-${++appsUnderEnv}` });
    await use(app);
  } finally {
    await app?.destroy();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = value;
      }
    }
  }
}

/**
 * Sets a SQLite file's journal mode, an operator's choice NocoBase leaves alone (e.g. `wal`, which is stored in the
 * file: every later connection, and the next app on the file, uses it). Returns the mode SQLite reports afterwards.
 */
export async function setSqliteJournalMode(app: MockServer, mode: string): Promise<string | undefined> {
  if (app.db.options.dialect !== 'sqlite' || !/^[a-z]+$/i.test(mode)) {
    throw new Error(`journal mode ${mode}: a SQLite journal mode, on a SQLite app`);
  }
  const [row] = await app.db.sequelize.query<{ journal_mode: string }>(`PRAGMA journal_mode = ${mode}`, {
    type: QueryTypes.SELECT,
  });
  return row?.journal_mode;
}

export interface WorkflowValues {
  title?: string;
  sync?: boolean;
  enabled?: boolean;
  config?: Record<string, unknown>;
  options?: Record<string, unknown>;
}

export async function createWebhookWorkflow(app: MockServer, values: WorkflowValues = {}): Promise<WorkflowModel> {
  return (await app.db.getRepository('workflows').create({
    values: { type: 'webhook', title: 'webhook', enabled: true, sync: false, config: {}, ...values },
  })) as WorkflowModel;
}

export interface NodeValues {
  type: string;
  config?: Record<string, unknown>;
  /** Chains after this node, or starts a branch of it when `branchIndex` is given. */
  upstream?: FlowNodeModel;
  branchIndex?: number;
}

type LinkableNode = FlowNodeModel & { setDownstream(node: FlowNodeModel): Promise<void> };
type NodeOwner = WorkflowModel & { createNode(values: object): Promise<FlowNodeModel> };

export async function addNode(workflow: WorkflowModel, { type, config = {}, upstream, branchIndex }: NodeValues) {
  const node = await (workflow as NodeOwner).createNode({
    type,
    config,
    upstreamId: upstream?.id ?? null,
    branchIndex: branchIndex ?? null,
  });
  if (upstream && branchIndex === undefined) {
    await (upstream as LinkableNode).setDownstream(node);
  }
  return node;
}

const ON_TRUE = 1;
const ON_FALSE = 0;

/** The seed document's example: a Condition on the body's status, a success and an error Response. */
export async function addPaymentExample(workflow: WorkflowModel) {
  const condition = await addNode(workflow, {
    type: 'condition',
    config: {
      rejectOnFalse: false,
      engine: 'basic',
      calculation: {
        group: { type: 'and', calculations: [{ calculator: 'equal', operands: ['{{$context.body.status}}', 'paid'] }] },
      },
    },
  });
  await addNode(workflow, {
    type: 'response',
    upstream: condition,
    branchIndex: ON_TRUE,
    config: {
      statusCode: 200,
      headers: [{ name: 'X-Order', value: '{{$context.body.orderId}}' }],
      body: { received: true, orderId: '{{$context.body.orderId}}' },
    },
  });
  await addNode(workflow, {
    type: 'response',
    upstream: condition,
    branchIndex: ON_FALSE,
    config: { statusCode: 400, body: { error: 'payment {{$context.body.status}}' } },
  });
}

export function webhookUrl(workflow: Pick<WorkflowModel, 'key'>, query = ''): string {
  return `/api/webhook:trigger/${workflow.key}${query}`;
}

export function basicAuthHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

export async function findExecutions(app: MockServer, workflow: Pick<WorkflowModel, 'key'>): Promise<Model[]> {
  return app.db.getRepository('executions').find({ filter: { key: workflow.key }, sort: 'createdAt', appends: ['jobs'] });
}

/** Polls instead of sleeping: async executions run on the workflow queue. */
export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until `count` executions of the workflow have ended (resolved, failed, errored, aborted...). */
export async function waitForSettledExecutions(
  app: MockServer,
  workflow: Pick<WorkflowModel, 'key'>,
  count: number,
  timeoutMs = 10_000,
): Promise<Model[]> {
  const repository = app.db.getRepository('executions');
  await waitFor(async () => {
    const settled = await repository.count({
      filter: { key: workflow.key, $or: [{ status: { $gt: 0 } }, { status: { $lt: 0 } }] },
    });
    return settled >= count;
  }, timeoutMs);
  return findExecutions(app, workflow);
}

export async function signInAsRoot(app: MockServer) {
  const root = await app.db.getRepository('users').findOne();
  return app.agent().login(root);
}

/** A fresh app per test of the calling `describe`; returns a getter for the current one. */
export function useWebhookApp(options: MockServerOptions = {}): () => MockServer {
  let app: MockServer | undefined;
  beforeEach(async () => {
    app = await createWebhookApp(options);
  });
  afterEach(async () => {
    await app?.destroy();
    app = undefined;
  });
  return () => {
    if (!app) {
      throw new Error('useWebhookApp: no app outside a test');
    }
    return app;
  };
}

/**
 * A cluster whose nodes have distinct snowflake worker ids. createMockCluster gives node i the instance id i, but
 * NocoBase reads 0 as "none" and draws a random worker id (0-31) for the first node: in one run out of 32 two nodes
 * share a worker id, and ids they make in the same millisecond collide (a CI run failed on an execution's primary key).
 */
export async function createWebhookCluster(options: Parameters<typeof createMockCluster>[0]): Promise<MockCluster> {
  for (;;) {
    const cluster = await createMockCluster(options);
    const workerIds = cluster.nodes.map((node) => node.instanceId);
    if (new Set(workerIds).size === workerIds.length) {
      return cluster;
    }
    await cluster.destroy();
  }
}
