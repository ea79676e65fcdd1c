import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { MockCluster } from '@nocobase/test';

import { WEBHOOK_APP_PLUGINS, addNode, createWebhookCluster, createWebhookWorkflow, waitFor, waitForSettledExecutions, webhookUrl } from './helpers/app';

const sqliteMemory = process.env.DB_DIALECT === 'sqlite' && process.env.DB_STORAGE === ':memory:';

describe('server: a two-node cluster sharing one database', () => {
  let cluster: MockCluster;
  let folder: string | undefined;

  beforeEach(async () => {
    // Nodes of a cluster must share the database: an in-memory SQLite one is per process, so use a file.
    folder = sqliteMemory ? fs.mkdtempSync(path.join(os.tmpdir(), 'webhook-cluster-')) : undefined;
    cluster = await createWebhookCluster({
      acl: true,
      plugins: WEBHOOK_APP_PLUGINS,
      resourcer: { prefix: '/api' },
      ...(folder ? { database: { dialect: 'sqlite', storage: path.join(folder, 'db.sqlite') } } : {}),
    });
  });

  afterEach(async () => {
    await cluster.destroy();
    if (folder) {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('answers on the other node for a workflow enabled through one, and stops when disabled there', async () => {
    const [first, second] = cluster.nodes;
    const workflow = await createWebhookWorkflow(first, { config: { response: { statusCode: 200, body: 'from cluster' } } });
    await addNode(workflow, { type: 'calculation', config: { engine: 'math.js', expression: '1 + 1' } });

    const answer = await waitFor(async () => {
      const res = await second.agent().post(webhookUrl(workflow)).send({ n: 1 });
      return res.status === 200 ? res : null;
    });
    expect(answer.text).toBe('from cluster');

    const executions = await waitForSettledExecutions(first, workflow, 1);
    expect(executions).toHaveLength(1);
    // Every node's queue has had the chance to pick it up: it still ran exactly once.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await first.db.getRepository('executions').count({ filter: { key: workflow.key } })).toBe(1);
    expect(await first.db.getRepository('jobs').count({ filter: { executionId: executions[0].get('id') } })).toBe(1);

    await workflow.update({ enabled: false });
    await waitFor(async () => (await second.agent().post(webhookUrl(workflow)).send({})).status === 404);
  });

  it('runs one execution for a delivery repeated on both nodes at once (the unique event key decides)', async () => {
    const [first, second] = cluster.nodes;
    const workflow = await createWebhookWorkflow(first, {
      config: { idempotency: { source: 'header', key: 'Idempotency-Key' }, response: { statusCode: 202, body: 'queued' } },
    });
    await waitFor(async () => (await second.agent().post(webhookUrl(workflow)).send({})).status === 202);
    const sends = Array.from({ length: 16 }, (_, i) =>
      (i % 2 ? first : second).agent().post(webhookUrl(workflow)).set('Idempotency-Key', 'evt-cluster').send({ i }),
    );
    const answers = await Promise.all(sends);
    expect(answers.map((res) => [res.status, res.text])).toEqual(Array(16).fill([202, 'queued']));
    // Every 2xx came after its execution row was committed (or was a replay of one): the rows are all there now.
    // Expected: the warm-up delivery (no key) and one for the key, whichever node stored it. Whether the engine has
    // run them yet does not matter here (on a busy machine the SQLite-file cluster can take longer than a poll).
    expect(await first.db.getRepository('executions').count({ filter: { key: workflow.key } })).toBe(2);
  });
});
