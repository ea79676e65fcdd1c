import type { Context } from 'koa';
import PluginWorkflowServer, { EXECUTION_STATUS } from '@nocobase/plugin-workflow';
import type { WorkflowModel } from '@nocobase/plugin-workflow';
import type { MockServer } from '@nocobase/test';

import { ExecutionCounter } from '../ExecutionCounter';
import { isDuplicateEventKey } from '../IdempotencyStore';
import { ResponseSlot } from '../ResponseSlot';
import { StartedSyncRuns } from '../StartedSyncRuns';
import { EngineSyncRuns } from '../SyncRuns';
import type { SyncRuns } from '../SyncRuns';
import { DIRECT_LANE } from '../WriteLane';

import {
  addNode,
  addPaymentExample,
  createWebhookWorkflow,
  findExecutions,
  useWebhookApp,
  waitFor,
  waitForSettledExecutions,
  webhookUrl,
} from './helpers/app';

/** The SQL statements the app's database runs while `during` runs. */
async function statementsDuring(app: MockServer, during: () => Promise<unknown>): Promise<string[]> {
  const statements: string[] = [];
  const hook = (_options: unknown, query: unknown) => {
    statements.push(String((query as { sql?: string } | undefined)?.sql ?? ''));
  };
  app.db.sequelize.addHook('afterQuery', 'statementsDuring', hook);
  try {
    await during();
  } finally {
    app.db.sequelize.removeHook('afterQuery', 'statementsDuring');
  }
  return statements;
}

/** The workflow's `executed` counter (all versions) and its version's. */
async function executedCounts(app: MockServer, workflow: WorkflowModel): Promise<[number, number]> {
  const stats = await app.db.getRepository('workflowStats').findOne({ filter: { key: workflow.key } });
  const versionStats = await app.db.getRepository('workflowVersionStats').findOne({ filterByTk: workflow.id });
  return [Number(stats?.get('executed') ?? 0), Number(versionStats?.get('executed') ?? 0)];
}

describe('server/StartedSyncRuns: a synchronous delivery starts its execution in one write', () => {
  const app = useWebhookApp();

  it('inserts the execution already started and updates it only when it ends', async () => {
    const workflow = await createWebhookWorkflow(app(), { sync: true });
    await addPaymentExample(workflow);
    const table = new RegExp(`["\`]${app().db.getCollection('executions').model.tableName}["\`]`);
    const statements = await statementsDuring(app(), async () => {
      const res = await app().agent().post(webhookUrl(workflow)).send({ status: 'paid', orderId: 'S-1' });
      expect(res.status).toBe(200);
    });
    const onExecutions = statements.filter((sql) => table.test(sql));
    // The engine's own trigger inserts it as queueing, then marks it started in a transaction of its own.
    expect(onExecutions.filter((sql) => /^\s*INSERT/i.test(sql))).toHaveLength(1);
    expect(onExecutions.filter((sql) => /^\s*UPDATE/i.test(sql))).toHaveLength(1);
    expect(statements.filter((sql) => /^\s*(BEGIN|START TRANSACTION)/i.test(sql))).toHaveLength(0);

    const [execution] = await findExecutions(app(), workflow);
    expect(execution.get('status')).toBe(EXECUTION_STATUS.RESOLVED);
    expect(execution.get('dispatched')).toBe(true);
    expect(execution.get('startedAt')).toBeInstanceOf(Date);
    expect(execution.get('expiresAt')).toBeNull();
  });

  it('sets the execution to expire after the workflow timeout from its start, as the engine does', async () => {
    const workflow = await createWebhookWorkflow(app(), { sync: true, options: { timeout: 60_000 } });
    await addNode(workflow, { type: 'response', config: { statusCode: 204 } });
    const res = await app().agent().post(webhookUrl(workflow)).send({});
    expect(res.status).toBe(204);
    const [execution] = await findExecutions(app(), workflow);
    const startedAt = execution.get('startedAt') as Date;
    const expiresAt = execution.get('expiresAt') as Date;
    expect(expiresAt.getTime() - startedAt.getTime()).toBe(60_000);
  });

  it('counts every synchronous and asynchronous execution in the workflow counters', async () => {
    const syncWorkflow = await createWebhookWorkflow(app(), { sync: true });
    await addNode(syncWorkflow, { type: 'response', config: { statusCode: 200 } });
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => app().agent().post(webhookUrl(syncWorkflow)).send({ i })));
    expect(answers.map((res) => res.status)).toEqual(Array(12).fill(200));
    const asyncWorkflow = await createWebhookWorkflow(app());
    await Promise.all(Array.from({ length: 5 }, (_, i) => app().agent().post(webhookUrl(asyncWorkflow)).send({ i })));
    await waitForSettledExecutions(app(), asyncWorkflow, 5);
    await waitFor(async () => (await executedCounts(app(), syncWorkflow))[0] === 12);
    expect(await executedCounts(app(), syncWorkflow)).toEqual([12, 12]);
    await waitFor(async () => (await executedCounts(app(), asyncWorkflow))[0] === 5);
    expect(await executedCounts(app(), asyncWorkflow)).toEqual([5, 5]);
    // The cached model the engine and the workflow list read.
    const stats = (syncWorkflow as unknown as { stats?: { get(name: string): unknown } }).stats;
    expect(Number(stats?.get('executed'))).toBe(12);
  });

  it("counts a version's first execution before it runs, as the engine does: a counted version is frozen", async () => {
    const workflow = await createWebhookWorkflow(app(), { sync: true });
    const probe = await addNode(workflow, { type: 'test-version-count' });
    await addNode(workflow, { type: 'response', config: { statusCode: 200 }, upstream: probe });
    for (const n of [1, 2]) {
      const res = await app().agent().post(webhookUrl(workflow)).send({ n });
      expect(res.status).toBe(200);
    }
    const executions = await findExecutions(app(), workflow);
    const counted = executions.map((execution) => {
      const jobs = execution.get('jobs') as Array<{ nodeId: unknown; result: { executed?: number } }>;
      return jobs.find((job) => String(job.nodeId) === String(probe.id))?.result.executed;
    });
    expect(counted[0]).toBe(1);
    expect(counted[1]).toBeGreaterThanOrEqual(1);
  });

  it('answers 503 when the execution cannot be stored, so that the sender retries, and runs nothing', async () => {
    const workflow = await createWebhookWorkflow(app(), { sync: true });
    await addNode(workflow, { type: 'response', config: { statusCode: 200, body: { ran: true } } });
    const table = app().db.getCollection('executions').quotedTableName();
    await app().db.sequelize.query(`DROP TABLE ${table}${app().db.options.dialect === 'postgres' ? ' CASCADE' : ''}`);
    const res = await app().agent().post(webhookUrl(workflow)).send({});
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ errors: [{ message: expect.stringMatching(/retry/) }] });
  });
});

describe('server/SyncRuns: the fast start and the engine\'s own trigger give the same run', () => {
  const app = useWebhookApp();
  const workflowPlugin = () => app().pm.get(PluginWorkflowServer) as PluginWorkflowServer;

  it('finds the dispatcher parts it starts runs with in this version of plugin-workflow', () => {
    const counter = new ExecutionCounter(workflowPlugin(), workflowPlugin().getLogger('test'), DIRECT_LANE);
    expect(StartedSyncRuns.of(workflowPlugin(), counter, workflowPlugin().getLogger('test'))).not.toBeNull();
  });

  const kinds: Array<[string, () => SyncRuns]> = [
    [
      'StartedSyncRuns',
      () =>
        StartedSyncRuns.of(
          workflowPlugin(),
          new ExecutionCounter(workflowPlugin(), workflowPlugin().getLogger('test'), DIRECT_LANE),
          workflowPlugin().getLogger('test'),
        )!,
    ],
    ['EngineSyncRuns', () => new EngineSyncRuns(workflowPlugin())],
  ];

  it.each(kinds)('%s: runs to the Response node and refuses a second run with the same event key', async (_name, make) => {
    const runs = make();
    const workflow = await createWebhookWorkflow(app(), { sync: true });
    await addNode(workflow, { type: 'response', config: { statusCode: 201, body: { n: '{{$context.body.n}}' } } });
    const context = { headers: {}, query: {}, body: { n: 5 } };
    const slot = new ResponseSlot();
    const processor = await runs.run(workflow, context, { httpContext: {} as Context, webhookResponse: slot, eventKey: 'once' });
    expect(processor?.execution.get('status')).toBe(EXECUTION_STATUS.RESOLVED);
    expect(slot.answer).toMatchObject({ statusCode: 201, body: { n: 5 } });

    const again = runs.run(workflow, context, { httpContext: {} as Context, webhookResponse: new ResponseSlot(), eventKey: 'once' });
    const refusal = await again.then(
      () => null,
      (error: unknown) => error,
    );
    expect(isDuplicateEventKey(refusal)).toBe(true);
    await runs.drain();
    expect(await findExecutions(app(), workflow)).toHaveLength(1);
    expect(await executedCounts(app(), workflow)).toEqual([1, 1]);
  });
});

describe('server/StartedSyncRuns: what the engine refuses', () => {
  const app = useWebhookApp();

  it('runs nothing for a workflow disabled while its delivery waited for its turn', async () => {
    const workflowPlugin = app().pm.get(PluginWorkflowServer) as PluginWorkflowServer;
    const counter = new ExecutionCounter(workflowPlugin, workflowPlugin.getLogger('test'), DIRECT_LANE);
    const runs = StartedSyncRuns.of(workflowPlugin, counter, workflowPlugin.getLogger('test'))!;
    const workflow = await createWebhookWorkflow(app(), { sync: true });
    await addNode(workflow, { type: 'response', config: { statusCode: 200 } });
    await workflow.update({ enabled: false });
    const slot = new ResponseSlot();
    const processor = await runs.run(workflow, { headers: {}, query: {}, body: {} }, { httpContext: {} as Context, webhookResponse: slot });
    expect(processor).toBeNull();
    expect(slot.answer).toBeUndefined();
    expect(await findExecutions(app(), workflow)).toHaveLength(0);
  });

  it('drains only once the runs in progress have ended and been counted', async () => {
    const workflowPlugin = app().pm.get(PluginWorkflowServer) as PluginWorkflowServer;
    const counter = new ExecutionCounter(workflowPlugin, workflowPlugin.getLogger('test'), DIRECT_LANE);
    const runs = StartedSyncRuns.of(workflowPlugin, counter, workflowPlugin.getLogger('test'))!;
    const workflow = await createWebhookWorkflow(app(), { sync: true });
    const sleep = await addNode(workflow, { type: 'test-sleep', config: { ms: 300 } });
    await addNode(workflow, { type: 'response', config: { statusCode: 200 }, upstream: sleep });
    const request = () => ({ httpContext: {} as Context, webhookResponse: new ResponseSlot() });
    await runs.run(workflow, { headers: {}, query: {}, body: {} }, request());
    await runs.drain();

    let ended = false;
    void runs.run(workflow, { headers: {}, query: {}, body: {} }, request()).then(() => (ended = true));
    await runs.drain();
    expect(ended).toBe(true);
    expect(await executedCounts(app(), workflow)).toEqual([2, 2]);
  });
});
