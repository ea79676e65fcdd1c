import { PluginWorkflowWebhookServer } from '../Plugin';
import { createHmac } from 'node:crypto';

import type { Model } from '@nocobase/database';
import type { MockServer } from '@nocobase/test';
import type { WorkflowModel } from '@nocobase/plugin-workflow';

import { REQUEST_LOG_BODY_MAX_BYTES, REQUEST_LOG_COLLECTION, type RequestLogEntry } from '../../common/requestLog';
import {
  addPaymentExample,
  basicAuthHeader,
  createWebhookWorkflow,
  findExecutions,
  signInAsRoot,
  useWebhookApp,
  waitFor,
  waitForSettledExecutions,
  webhookUrl,
  withAppUnderEnv,
} from './helpers/app';

type Key = Pick<WorkflowModel, 'key'>;

async function logRows(app: MockServer, workflow: Key): Promise<RequestLogEntry[]> {
  const rows = await app.db
    .getRepository(REQUEST_LOG_COLLECTION)
    .find({ filter: { workflowKey: workflow.key }, sort: ['-createdAt', '-id'] });
  return rows.map((row: Model) => row.toJSON() as RequestLogEntry);
}

/** Rows are written after the answer, in batches: polls until the workflow's log looks as expected. */
function waitForLog(app: MockServer, workflow: Key, accept: (rows: RequestLogEntry[]) => boolean) {
  return waitFor(async () => {
    const rows = await logRows(app, workflow);
    return accept(rows) && rows;
  });
}

/**
 * Rows are written in the order requests were answered: once a later request of another workflow (the marker) is
 * logged, an earlier one that left no row never will.
 */
async function settleLogWrites(app: MockServer, marker: Key): Promise<void> {
  const logged = (await logRows(app, marker)).length;
  await app.agent().post(webhookUrl(marker)).send({});
  await waitForLog(app, marker, (rows) => rows.length === logged + 1);
}

/**
 * The log writes (and prunes) after answering. On SQLite in memory every query shares one connection, so a write
 * still in flight can interleave with the sign-in's transaction: settle the log first.
 */
async function settleRequestLog(app: MockServer): Promise<void> {
  await (app.pm.get(PluginWorkflowWebhookServer) as PluginWorkflowWebhookServer).requestLog?.drain();
}

const signed = (body: string, secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

const githubSignature = (secret: string) => ({
  algorithm: 'sha256',
  header: 'X-Hub-Signature-256',
  format: 'plain',
  prefix: 'sha256=',
  encoding: 'hex',
  secrets: [secret],
});

describe('server: request log', () => {
  const app = useWebhookApp();

  describe('accepted requests', () => {
    it('logs an asynchronous delivery: time, method, 200, size, duration, caller address and its execution', async () => {
      const workflow = await createWebhookWorkflow(app());
      const body = JSON.stringify({ order: 42 });
      const before = Date.now();
      const res = await app().agent().post(webhookUrl(workflow)).set('Content-Type', 'application/json').send(body);
      expect(res.status).toBe(200);
      const [execution] = await waitForSettledExecutions(app(), workflow, 1);
      const [row] = await waitForLog(app(), workflow, (rows) => rows.length === 1);
      expect(row).toMatchObject({
        workflowKey: workflow.key,
        method: 'POST',
        status: 200,
        check: null,
        message: null,
        requestBytes: Buffer.byteLength(body),
        replayed: false,
        body: null,
      });
      expect(String(row.workflowId)).toBe(String(workflow.id));
      expect(String(row.executionId)).toBe(String(execution.id));
      expect(new Date(row.createdAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(row.durationMs).toBeGreaterThanOrEqual(0);
      expect(row.ip).toMatch(/127\.0\.0\.1|::1/);
    });

    it("logs a synchronous run with its execution and the Response node's status, not its body", async () => {
      const workflow = await createWebhookWorkflow(app(), { sync: true });
      await addPaymentExample(workflow);
      const res = await app().agent().post(webhookUrl(workflow)).send({ status: 'failed', orderId: 'A-1' });
      expect(res.status).toBe(400);
      const [execution] = await findExecutions(app(), workflow);
      const [row] = await waitForLog(app(), workflow, (rows) => rows.length === 1);
      expect(row).toMatchObject({ status: 400, check: null, message: null });
      expect(String(row.executionId)).toBe(String(execution.id));
    });

    it('marks a repeated delivery answered from the first one as replayed, with the first execution', async () => {
      const workflow = await createWebhookWorkflow(app(), {
        config: { idempotency: { source: 'header', key: 'Idempotency-Key' } },
      });
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const res = await app().agent().post(webhookUrl(workflow)).set('Idempotency-Key', 'order-7').send({});
        expect(res.status).toBe(200);
      }
      const [execution] = await findExecutions(app(), workflow);
      const [second, first] = await waitForLog(app(), workflow, (rows) => rows.length === 2);
      expect(first.replayed).toBe(false);
      expect(second.replayed).toBe(true);
      expect(String(first.executionId)).toBe(String(execution.id));
      expect(String(second.executionId)).toBe(String(execution.id));
    });
  });

  describe('refused requests: status, the check that refused and its message, no execution', () => {
    it.each([
      {
        name: 'a GET (405)',
        config: {},
        send: (url: string, server: MockServer) => server.agent().get(url),
        expected: { status: 405, method: 'GET', check: 'method', message: expect.stringMatching(/POST/) },
      },
      {
        name: 'missing Basic credentials (401)',
        config: { basicAuthentication: { username: 'gateway', password: 's3cret' } },
        send: (url: string, server: MockServer) => server.agent().post(url).send({}),
        expected: { status: 401, check: 'basic', message: expect.stringMatching(/user name or password/) },
      },
      {
        name: 'a bad signature (401)',
        config: { signature: githubSignature('signing-secret') },
        send: (url: string, server: MockServer) =>
          server.agent().post(url).set('X-Hub-Signature-256', 'sha256=00').send({ a: 1 }),
        expected: { status: 401, check: 'signature', message: expect.stringMatching(/signature/i) },
      },
      {
        name: 'a content type the workflow does not accept (415)',
        config: { request: { contentTypes: ['json'] } },
        send: (url: string, server: MockServer) => server.agent().post(url).set('Content-Type', 'text/plain').send('hi'),
        expected: { status: 415, check: 'body', message: expect.stringMatching(/accepts application\/json/) },
      },
    ])('$name', async ({ config, send, expected }) => {
      const workflow = await createWebhookWorkflow(app(), { config });
      const res = await send(webhookUrl(workflow), app());
      expect(res.status).toBe(expected.status);
      const [row] = await waitForLog(app(), workflow, (rows) => rows.length === 1);
      expect(row).toMatchObject({ method: 'POST', ...expected, executionId: null, replayed: false });
      expect(String(row.workflowId)).toBe(String(workflow.id));
    });

    it('the rate limit (429)', async () => {
      const workflow = await createWebhookWorkflow(app(), { config: { rateLimit: { limit: 1, windowSeconds: 60 } } });
      expect((await app().agent().post(webhookUrl(workflow)).send({})).status).toBe(200);
      expect((await app().agent().post(webhookUrl(workflow)).send({})).status).toBe(429);
      const [refused, accepted] = await waitForLog(app(), workflow, (rows) => rows.length === 2);
      expect(accepted).toMatchObject({ status: 200, check: null });
      expect(refused).toMatchObject({ status: 429, check: 'rate-limit', executionId: null });
      expect(refused.message).toMatch(/Too many requests/);
    });

    it('a body over the size limit (413)', async () => {
      await withAppUnderEnv({ REQUEST_BODY_LIMIT: '1kb' }, async (smallApp) => {
        const workflow = await createWebhookWorkflow(smallApp);
        const res = await smallApp.agent().post(webhookUrl(workflow)).send({ blob: 'x'.repeat(4096) });
        expect(res.status).toBe(413);
        const [row] = await waitForLog(smallApp, workflow, (rows) => rows.length === 1);
        expect(row).toMatchObject({ status: 413, check: 'body', executionId: null });
        expect(row.message).toMatch(/larger than the limit/);
      });
    });

    it('a disabled workflow (404) is logged under its key; an unknown key is not logged at all', async () => {
      const marker = await createWebhookWorkflow(app(), { title: 'marker' });
      const workflow = await createWebhookWorkflow(app(), { enabled: false });
      expect((await app().agent().post(webhookUrl(workflow)).send({})).status).toBe(404);
      expect((await app().agent().post('/api/webhook:trigger/no-such-key').send({})).status).toBe(404);
      const [row] = await waitForLog(app(), workflow, (rows) => rows.length === 1);
      expect(row).toMatchObject({ status: 404, check: 'not-found', message: expect.stringMatching(/No enabled/) });
      expect(String(row.workflowId)).toBe(String(workflow.id));
      await settleLogWrites(app(), marker);
      expect(await logRows(app(), { key: 'no-such-key' })).toEqual([]);
    });
  });

  describe('settings', () => {
    it('logs nothing for a workflow whose log is off', async () => {
      // Created first: on SQLite in memory, creating a workflow while the engine runs executions would clash.
      const marker = await createWebhookWorkflow(app(), { title: 'marker' });
      const workflow = await createWebhookWorkflow(app(), { config: { requestLog: { enabled: false } } });
      expect((await app().agent().post(webhookUrl(workflow)).send({})).status).toBe(200);
      expect((await app().agent().get(webhookUrl(workflow))).status).toBe(405);
      await settleLogWrites(app(), marker);
      expect(await logRows(app(), workflow)).toEqual([]);
    });

    it('keeps exactly the last N requests of each workflow', async () => {
      const marker = await createWebhookWorkflow(app(), { title: 'marker' });
      const limited = await createWebhookWorkflow(app(), { config: { requestLog: { enabled: true, limit: 3, captureBody: true } } });
      const other = await createWebhookWorkflow(app(), { config: { requestLog: { enabled: true, captureBody: true } } });
      for (let n = 1; n <= 6; n += 1) {
        await app().agent().post(webhookUrl(limited)).set('Content-Type', 'text/plain').send(`n=${n}`);
        if (n <= 2) {
          await app().agent().post(webhookUrl(other)).set('Content-Type', 'text/plain').send(`other=${n}`);
        }
      }
      // Sent together too: rows written in one batch are pruned like the others.
      await Promise.all(
        [7, 8].map((n) => app().agent().post(webhookUrl(limited)).set('Content-Type', 'text/plain').send(`n=${n}`)),
      );
      const newest = (current: RequestLogEntry[]) => current.map((row) => row.body).sort();
      await waitForLog(app(), limited, (current) => JSON.stringify(newest(current)) === '["n=6","n=7","n=8"]');
      await settleLogWrites(app(), marker);
      expect(await logRows(app(), limited)).toHaveLength(3);
      expect((await logRows(app(), other)).map((row) => row.body)).toEqual(['other=2', 'other=1']);
    });

    it('stores the raw body only with captureBody, cut at 64 KB', async () => {
      const capturing = await createWebhookWorkflow(app(), { config: { requestLog: { enabled: true, captureBody: true } } });
      const plain = await createWebhookWorkflow(app());
      const raw = '{ "a": 1,  "b": "caf\\u00e9" }';
      await app().agent().post(webhookUrl(capturing)).set('Content-Type', 'application/json').send(raw);
      const big = 'y'.repeat(REQUEST_LOG_BODY_MAX_BYTES + 1000);
      await app().agent().post(webhookUrl(capturing)).set('Content-Type', 'text/plain').send(big);
      const [bigRow, rawRow] = await waitForLog(app(), capturing, (rows) => rows.length === 2);
      expect(rawRow.body).toBe(raw);
      expect(bigRow.body).toBe(big.slice(0, REQUEST_LOG_BODY_MAX_BYTES));
      expect(bigRow.requestBytes).toBe(big.length);

      await app().agent().post(webhookUrl(plain)).set('Content-Type', 'application/json').send(raw);
      const [plainRow] = await waitForLog(app(), plain, (rows) => rows.length === 1);
      expect(plainRow.body).toBeNull();
    });

    it('stores no credential, token, signature or body while captureBody is off', async () => {
      const secrets = {
        username: 'gateway-user-0a1b',
        password: 'basic-password-2c3d',
        wrongPassword: 'wrong-password-4e5f',
        bearer: 'bearer-token-6a7b',
        signingSecret: 'signing-secret-8c9d',
        inBody: 'body-secret-0e1f',
      };
      const workflow = await createWebhookWorkflow(app(), {
        config: {
          basicAuthentication: { username: secrets.username, password: secrets.password },
          signature: githubSignature(secrets.signingSecret),
        },
      });
      const body = JSON.stringify({ apiKey: secrets.inBody });
      const goodSignature = signed(body, secrets.signingSecret);
      const post = () => app().agent().post(webhookUrl(workflow)).set('Content-Type', 'application/json');
      const answers = await Promise.all([
        post()
          .set('Authorization', basicAuthHeader(secrets.username, secrets.password))
          .set('X-Hub-Signature-256', goodSignature)
          .send(body),
        post().set('Authorization', basicAuthHeader(secrets.username, secrets.wrongPassword)).send(body),
        post().set('Authorization', `Bearer ${secrets.bearer}`).send(body),
        post()
          .set('Authorization', basicAuthHeader(secrets.username, secrets.password))
          .set('X-Hub-Signature-256', signed(body, 'not-the-secret'))
          .send(body),
      ]);
      expect(answers.map((res) => res.status).sort()).toEqual([200, 401, 401, 401]);
      const rows = await waitForLog(app(), workflow, (current) => current.length === 4);
      expect(rows.map((row) => row.check).sort()).toEqual(['basic', 'basic', 'signature', null].sort());
      const stored = JSON.stringify(rows);
      const forbidden = [
        ...Object.values(secrets),
        basicAuthHeader(secrets.username, secrets.password).slice(6),
        basicAuthHeader(secrets.username, secrets.wrongPassword).slice(6),
        goodSignature.slice(7),
        signed(body, 'not-the-secret').slice(7),
      ];
      for (const value of forbidden) {
        expect(stored).not.toContain(value);
      }
    });
  });

  describe('the list action', () => {
    const list = (agent: ReturnType<MockServer['agent']>, query: Record<string, unknown>) =>
      agent.get(`/api/${REQUEST_LOG_COLLECTION}:list`).query(
        Object.fromEntries(Object.entries(query).map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)])),
      );

    async function workflowWithMixedLog() {
      const workflow = await createWebhookWorkflow(app(), { config: { basicAuthentication: { username: 'u', password: 'p' } } });
      const auth = basicAuthHeader('u', 'p');
      for (const authorization of [auth, '', auth, '', '']) {
        const request = app().agent().post(webhookUrl(workflow));
        await (authorization ? request.set('Authorization', authorization) : request).send({});
      }
      await waitForLog(app(), workflow, (rows) => rows.length === 5);
      // SQLite in memory: nothing else may open a transaction while the engine still runs the two executions.
      await waitForSettledExecutions(app(), workflow, 2);
      return workflow;
    }

    it('refuses anonymous callers with 401', async () => {
      const workflow = await workflowWithMixedLog();
      const res = await list(app().agent(), { filter: { workflowKey: workflow.key } });
      expect(res.status).toBe(401);
      expect(res.body.data).toBeUndefined();
    });

    it('refuses a signed-in user who may not manage workflows, and answers one who may', async () => {
      const workflow = await workflowWithMixedLog();
      const users = app().db.getRepository('users');
      const member = await users.create({ values: { nickname: 'member', roles: [{ name: 'member' }] } });
      expect((await list(await app().agent().login(member, 'member'), { filter: { workflowKey: workflow.key } })).status).toBe(403);

      await app().db.getRepository('roles').create({ values: { name: 'workflowManager', snippets: ['pm.workflow.workflows'] } });
      const manager = await users.create({ values: { nickname: 'manager', roles: [{ name: 'workflowManager' }] } });
      const res = await list(await app().agent().login(manager, 'workflowManager'), { filter: { workflowKey: workflow.key } });
      expect(res.status).toBe(200);
      expect(res.body.data).toHaveLength(5);
    });

    it('lists newest first, paginated, filtered by status or a status range, for root', async () => {
      // Signed in first: on SQLite in memory every query shares one connection, and the sign-in's transaction must
      // not overlap the engine running the executions these requests create.
      const agent = await signInAsRoot(app());
      const other = await createWebhookWorkflow(app(), { config: { requestLog: { enabled: true, captureBody: false } } });
      const workflow = await workflowWithMixedLog();
      await app().agent().post(webhookUrl(other)).send({});
      await waitForLog(app(), other, (rows) => rows.length === 1);
      await settleRequestLog(app());

      const all = await list(agent, { filter: { workflowKey: workflow.key } });
      expect(all.status).toBe(200);
      expect(all.body.data.map((row: RequestLogEntry) => row.status)).toEqual([401, 401, 200, 401, 200]);
      expect(all.body.meta).toMatchObject({ count: 5, page: 1 });
      const times = all.body.data.map((row: RequestLogEntry) => new Date(row.createdAt).getTime());
      expect([...times].sort((a, b) => b - a)).toEqual(times);

      const page = await list(agent, { filter: { workflowKey: workflow.key }, page: '2', pageSize: '2' });
      expect(page.body.data.map((row: RequestLogEntry) => row.id)).toEqual(all.body.data.slice(2, 4).map((row: RequestLogEntry) => row.id));
      expect(page.body.meta).toMatchObject({ count: 5, page: 2, pageSize: 2, totalPage: 3 });

      const clientErrors = await list(agent, { filter: { workflowKey: workflow.key, status: { $gte: 400, $lt: 500 } } });
      expect(clientErrors.body.data).toHaveLength(3);
      expect(clientErrors.body.data.every((row: RequestLogEntry) => row.check === 'basic')).toBe(true);
      const ok = await list(agent, { filter: { workflowKey: workflow.key, status: 200 } });
      expect(ok.body.data).toHaveLength(2);
    });

    it('is read-only: rows cannot be created, changed or deleted through the API', async () => {
      await settleRequestLog(app());
      const agent = await signInAsRoot(app());
      const res = await agent.post(`/api/${REQUEST_LOG_COLLECTION}:create`).send({ workflowKey: 'x', status: 200 });
      expect(res.status).toBe(404);
      expect((await agent.post(`/api/${REQUEST_LOG_COLLECTION}:destroy`).query({ filterByTk: 1 })).status).toBe(404);
    });
  });
});
