import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { MockServer } from '@nocobase/test';
import PluginWorkflowServer, { EXECUTION_STATUS } from '@nocobase/plugin-workflow';

import { EngineQueueRecorder } from '../EngineQueueRecorder';
import { EngineWriteLane } from '../EngineWriteLane';
import {
  addNode,
  addPaymentExample,
  createWebhookApp,
  createWebhookWorkflow,
  findExecutions,
  waitFor,
  waitForSettledExecutions,
  webhookUrl,
} from './helpers/app';

const sqlite = process.env.DB_DIALECT === 'sqlite';
// The engine waits for its `executing` step before saving an event only on SQLite; elsewhere it needs no turns.
const onSqlite = sqlite ? it : it.skip;

/**
 * On a SQLite file (one writer, one connection per transaction) the plugin's writes and synchronous runs take turns
 * with the engine's executions; on another database the same traffic must give the same outcome.
 */
describe('server: deliveries while the engine runs executions (SQLite file: in turns with the engine)', () => {
  let folder: string;
  let app: MockServer;

  beforeEach(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'webhook-lane-'));
    app = await createWebhookApp(sqlite ? { database: { dialect: 'sqlite', storage: path.join(folder, 'db.sqlite') } } : {});
  });

  afterEach(async () => {
    await app.destroy();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('finds the dispatcher fields it takes turns with in this version of plugin-workflow', () => {
    expect(EngineWriteLane.of(app.pm.get(PluginWorkflowServer) as PluginWorkflowServer)).not.toBeNull();
  });

  onSqlite('keeps the engine from creating or running executions while a write holds the turn', async () => {
    const workflowPlugin = app.pm.get(PluginWorkflowServer) as PluginWorkflowServer;
    const lane = EngineWriteLane.of(workflowPlugin)!;
    const workflow = await createWebhookWorkflow(app);
    await addNode(workflow, { type: 'calculation', config: { engine: 'math.js', expression: '1 + 1' } });
    let release!: () => void;
    let claimed!: () => void;
    const turnTaken = new Promise<void>((resolve) => (claimed = resolve));
    const held = lane.run(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
          claimed();
        }),
    );
    await turnTaken;
    try {
      // The engine's own trigger, not the plugin's recorder: it must wait for the turn to create the execution.
      workflowPlugin.trigger(workflow, { headers: {}, query: {}, body: { n: 1 } });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await findExecutions(app, workflow)).toHaveLength(0);
    } finally {
      release();
      await held;
    }
    const [execution] = await waitForSettledExecutions(app, workflow, 1);
    expect(execution.get('status')).toBe(EXECUTION_STATUS.RESOLVED);
  });

  it('acknowledges waves of async deliveries while their executions run, runs each once, and answers sync requests between them', async () => {
    const asyncWorkflow = await createWebhookWorkflow(app);
    await addNode(asyncWorkflow, { type: 'calculation', config: { engine: 'math.js', expression: '{{$context.body.i}} * 2' } });
    const syncWorkflow = await createWebhookWorkflow(app, { sync: true });
    await addPaymentExample(syncWorkflow);
    const waves = 4;
    const perWave = 50;
    for (let wave = 0; wave < waves; wave += 1) {
      const asyncAnswers = Array.from({ length: perWave }, (_, n) =>
        app.agent().post(webhookUrl(asyncWorkflow)).send({ i: wave * perWave + n }),
      );
      const syncAnswers = Array.from({ length: 5 }, (_, n) =>
        app.agent().post(webhookUrl(syncWorkflow)).send({ status: n % 2 ? 'paid' : 'failed' }),
      );
      const [acks, replies] = await Promise.all([Promise.all(asyncAnswers), Promise.all(syncAnswers)]);
      expect(acks.map((res) => res.status)).toEqual(Array(perWave).fill(200));
      expect(replies.map((res) => res.status)).toEqual([400, 200, 400, 200, 400]);
      // The next wave arrives while the executions of this one are still running.
      await waitFor(async () => (await findExecutions(app, asyncWorkflow)).some((e) => e.get('status') !== EXECUTION_STATUS.QUEUEING));
    }
    const executions = await waitForSettledExecutions(app, asyncWorkflow, waves * perWave, 120_000);
    expect(executions.every((execution) => execution.get('status') === EXECUTION_STATUS.RESOLVED)).toBe(true);
    const delivered = new Set(executions.map((execution) => (execution.get('context') as { body: { i: number } }).body.i));
    expect(delivered.size).toBe(waves * perWave);
  }, 180_000);

  it("falls back to the engine's own trigger (another dispatcher): acknowledged once the execution row is committed", async () => {
    const workflowPlugin = app.pm.get(PluginWorkflowServer) as PluginWorkflowServer;
    const workflow = await createWebhookWorkflow(app);
    const recorder = new EngineQueueRecorder(workflowPlugin, workflowPlugin.getLogger('test'));
    const executionId = await recorder.record(workflow, { headers: {}, query: {}, body: { n: 7 } }, 'fallback-delivery');
    const stored = await app.db.getRepository('executions').findOne({ filterByTk: executionId as number });
    expect(stored?.get('eventKey')).toBe('fallback-delivery');
    expect((stored?.get('context') as { body: { n: number } }).body.n).toBe(7);
    await waitForSettledExecutions(app, workflow, 1);
  });
});

describe('EngineWriteLane: taking a turn', () => {
  interface FakeDispatcher {
    executing: Promise<unknown> | null;
    saving: Promise<unknown> | null;
  }

  const afterMicrotasks = async (count: number) => {
    for (let n = 0; n < count; n += 1) {
      await Promise.resolve();
    }
  };

  // The engine may start saving an event on any microtask after its step ends; a write must never start beside it.
  it.each([0, 1, 2, 3, 4, 5, 6, 8])('never starts a write while the engine saves an event begun %i microtasks after its step', async (delay) => {
    let endStep!: () => void;
    const step = new Promise<void>((resolve) => (endStep = resolve));
    const dispatcher: FakeDispatcher = { executing: step, saving: null };
    void step.then(async () => {
      dispatcher.executing = null;
      await afterMicrotasks(delay);
      dispatcher.saving = new Promise<void>((resolve) =>
        setTimeout(() => {
          dispatcher.saving = null;
          resolve();
        }, 5),
      );
    });
    const lane = EngineWriteLane.of({ dispatcher } as unknown as PluginWorkflowServer)!;
    let seenAtStart: FakeDispatcher | undefined;
    const written = lane.run(async () => {
      seenAtStart = { ...dispatcher };
    });
    endStep();
    await written;
    expect(seenAtStart).toEqual({ executing: null, saving: null });
    await afterMicrotasks(1);
    expect(dispatcher.executing).toBeNull();
  });
});

describe('EngineWriteLane: giving way', () => {
  /** An engine whose queue claims a step on the next setImmediate while it has work, each step lasting `stepMs`. */
  function fakeEngine(steps: number, stepMs: number) {
    const dispatcher: { executing: Promise<unknown> | null; saving: Promise<unknown> | null } = { executing: null, saving: null };
    let left = steps;
    let taken = 0;
    const next = () =>
      setImmediate(() => {
        if (left === 0 || dispatcher.executing) {
          return;
        }
        left -= 1;
        const step = new Promise<void>((resolve) => setTimeout(resolve, stepMs)).then(() => {
          taken += 1;
          dispatcher.executing = null;
          next();
        });
        dispatcher.executing = step;
      });
    next();
    return { lane: EngineWriteLane.of({ dispatcher } as unknown as PluginWorkflowServer)!, taken: () => taken };
  }

  it('lets the engine take one step, and returns at once when it has none to take', async () => {
    const engine = fakeEngine(10, 2);
    await engine.lane.giveWay();
    expect(engine.taken()).toBe(1);

    const idle = fakeEngine(0, 1);
    await idle.lane.giveWay();
    expect(idle.taken()).toBe(0);
  });
});
