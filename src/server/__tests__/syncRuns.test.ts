import type { Context } from 'koa';
import PluginWorkflowServer, { EXECUTION_STATUS } from '@nocobase/plugin-workflow';
import type { Model } from '@nocobase/database';
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

async function executedCounts(app: MockServer, key: string): Promise<number[]> {
  const stats = await app.db.getRepository('workflowStats').findOne({ filter: { key } });
  const versionStats: Model[] = await app.db.getRepository('workflowVersionStats').find();
  return [Number(stats?.get('executed') ?? 0), versionStats.reduce((sum: number, row) => sum + Number(row.get('executed')), 0)];
}

describe('server/StartedSyncRuns: a synchronous delivery starts its execution in one write', () => {
  const app = useWebhookApp();

  it('inserts the execution already started and updates it only when it ends', async () => {
    const workflow = await createWebhookWorkflow(app(), { sync: true });
    await addPaymentExample(workflow);
    const table = app().db.getCollection('executions').quotedTableName();
    const statements = await statementsDuring(app(), async () => {
      const res = await app().agent().post(webhookUrl(workflow)).send({ status: 'paid', orderId: 'S-1' });
      expect(res.status).toBe(200);
    });
    const onExecutions = statements.filter((sql) => sql.includes(table));
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
    await waitFor(async () => (await executedCounts(app(), syncWorkflow.key))[0] === 12);
    expect((await executedCounts(app(), syncWorkflow.key))[0]).toBe(12);
    await waitFor(async () => (await executedCounts(app(), asyncWorkflow.key))[0] === 5);
    // The cached model the engine and the workflow list read.
    const stats = (syncWorkflow as unknown as { stats?: { get(name: string): unknown } }).stats;
    expect(Number(stats?.get('executed'))).toBe(12);
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
    expect((await executedCounts(app(), workflow.key))[0]).toBe(1);
  });
});
