import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { PluginConfiguration } from '@nocobase/server';
import type { MockCluster, MockServer } from '@nocobase/test';

import { MASK } from '../../common/constants';
import { CAPTURED_MESSAGE, DEFAULT_LISTEN_DURATION_MS } from '../../common/testCapture';
import type { ListenState, TestCapture } from '../../common/testCapture';
import { PluginWorkflowWebhookServer } from '../Plugin';
import { TEST_CAPTURES_COLLECTION, TestCaptureStore } from '../TestCaptureStore';
import { WEBHOOK_APP_PLUGINS, createWebhookCluster, createWebhookWorkflow, findExecutions, signInAsRoot, useWebhookApp, waitFor, waitForSettledExecutions, webhookUrl } from './helpers/app';

type Agent = Awaited<ReturnType<typeof signInAsRoot>>;
type Action = 'listen' | 'stopListening' | 'capture';

/** The app's plugins, this one with options (e.g. a short listening window). */
function pluginsWith(options: Record<string, unknown>): PluginConfiguration[] {
  return WEBHOOK_APP_PLUGINS.map((plugin) => (plugin === PluginWorkflowWebhookServer ? [plugin, options] : plugin));
}

async function call(agent: Agent, action: Action, workflowId: number | string): Promise<ListenState> {
  const res = await agent.post(`/api/webhook:${action}`).query({ filterByTk: workflowId });
  expect(res.status).toBe(200);
  return res.body.data as ListenState;
}

function expectCapturedAnswer(res: { status: number; body: unknown }) {
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ captured: true, message: CAPTURED_MESSAGE });
}

describe('server: listening for a test request (webhook:listen, webhook:capture, webhook:stopListening)', () => {
  describe('with the default 2-minute window', () => {
    const getApp = useWebhookApp();
    let app: MockServer;
    let admin: Agent;

    beforeEach(async () => {
      app = getApp();
      admin = await signInAsRoot(app);
    });

    it('captures the next POST without running the workflow; the request after it runs', async () => {
      const workflow = await createWebhookWorkflow(app, { config: { response: { statusCode: 202, body: 'ran' } } });
      const started = await call(admin, 'listen', workflow.id);
      expect(started.capture).toBeNull();
      expect(started.remainingMs).toBeGreaterThan(DEFAULT_LISTEN_DURATION_MS - 5_000);
      expect(started.remainingMs).toBeLessThanOrEqual(DEFAULT_LISTEN_DURATION_MS);

      const captured = await app
        .agent()
        .post(webhookUrl(workflow, '?page=2&tags[0]=a'))
        .set('X-Request-Id', 'r-1')
        .send({ order: { id: 7, status: 'paid' } });
      expectCapturedAnswer(captured);
      expect(await findExecutions(app, workflow)).toHaveLength(0);

      const state = await call(admin, 'capture', workflow.id);
      expect(state.remainingMs).toBe(0);
      expect(state.capture).toMatchObject<Partial<TestCapture>>({
        method: 'POST',
        contentType: 'application/json',
        querystring: 'page=2&tags[0]=a',
        query: { page: '2', tags: ['a'] },
        body: { order: { id: 7, status: 'paid' } },
      });
      expect(state.capture?.headers['x-request-id']).toBe('r-1');
      expect(Date.parse(state.capture?.capturedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);

      const next = await app.agent().post(webhookUrl(workflow)).send({ n: 2 });
      expect(next.status).toBe(202);
      expect(next.text).toBe('ran');
      expect(await waitForSettledExecutions(app, workflow, 1)).toHaveLength(1);
      // The capture stays readable after listening ended.
      expect((await call(admin, 'capture', workflow.id)).capture?.body).toEqual({ order: { id: 7, status: 'paid' } });
    });

    it('captures a GET to a disabled workflow (looked up among all revisions); then it is 405 again', async () => {
      const workflow = await createWebhookWorkflow(app, { enabled: false });
      await call(admin, 'listen', workflow.id);
      const captured = await app.agent().get(webhookUrl(workflow, '?ping=1'));
      expectCapturedAnswer(captured);
      const { capture } = await call(admin, 'capture', workflow.id);
      expect(capture).toMatchObject({ method: 'GET', contentType: null, query: { ping: '1' }, body: {} });
      expect((await app.agent().get(webhookUrl(workflow))).status).toBe(405);
      expect(await findExecutions(app, workflow)).toHaveLength(0);
    });

    it('masks authorization, cookies and the credential headers of every revision of the workflow', async () => {
      const first = await createWebhookWorkflow(app, {
        enabled: false,
        config: { headerToken: { header: 'X-Webhook-Token', token: 'tok' }, jwt: { header: 'X-Jwt', algorithms: ['HS256'], secret: 's' } },
      });
      await app.db.getRepository('workflows').create({
        values: {
          key: first.key,
          type: 'webhook',
          title: 'v2',
          enabled: true,
          sync: false,
          config: {
            signature: { header: 'X-Hub-Signature-256', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=', secrets: ['x'] },
          },
        },
      });
      await call(admin, 'listen', first.id);
      const captured = await app
        .agent()
        .post(webhookUrl(first))
        .set('Authorization', 'Bearer secret-1')
        .set('Proxy-Authorization', 'Basic c2VjcmV0')
        .set('Cookie', 'session=secret-2')
        .set('X-Webhook-Token', 'secret-3')
        .set('X-Jwt', 'Bearer secret.4')
        .set('X-Hub-Signature-256', 'sha256=secret5')
        .set('X-Visible', 'shown')
        .send({});
      expectCapturedAnswer(captured);
      const { capture } = await call(admin, 'capture', first.id);
      expect(capture?.headers).toMatchObject({
        authorization: `Bearer ${MASK}`,
        'proxy-authorization': `Basic ${MASK}`,
        cookie: MASK,
        'x-webhook-token': MASK,
        'x-jwt': `Bearer ${MASK}`,
        'x-hub-signature-256': MASK,
        'x-visible': 'shown',
      });
      expect(JSON.stringify(capture)).not.toMatch(/secret/);
    });

    it('captures one of two requests sent at once; the other runs', async () => {
      const workflow = await createWebhookWorkflow(app, { config: { response: { statusCode: 202, body: 'ran' } } });
      await call(admin, 'listen', workflow.id);
      const answers = await Promise.all([1, 2].map((n) => app.agent().post(webhookUrl(workflow)).send({ n })));
      expect(answers.map((res) => res.status).sort()).toEqual([200, 202]);
      const { capture } = await call(admin, 'capture', workflow.id);
      expect([1, 2]).toContain((capture?.body as { n: number }).n);
      expect(await waitForSettledExecutions(app, workflow, 1)).toHaveLength(1);
    });

    it('stops listening on webhook:stopListening; a new session drops the previous capture', async () => {
      const workflow = await createWebhookWorkflow(app, { config: { response: { statusCode: 202, body: 'ran' } } });
      await call(admin, 'listen', workflow.id);
      expectCapturedAnswer(await app.agent().post(webhookUrl(workflow)).send({ first: true }));

      const again = await call(admin, 'listen', workflow.id);
      expect(again.capture).toBeNull();
      const stopped = await call(admin, 'stopListening', workflow.id);
      expect(stopped).toEqual({ remainingMs: 0, capture: null });
      expect((await app.agent().post(webhookUrl(workflow)).send({})).status).toBe(202);
      expect(await waitForSettledExecutions(app, workflow, 1)).toHaveLength(1);
    });

    it('answers 404 for an unknown workflow or one of another type, 400 without an id', async () => {
      const other = await app.db.getRepository('workflows').create({
        values: { type: 'collection', title: 'other', enabled: false, config: {} },
      });
      expect((await admin.post('/api/webhook:listen').query({ filterByTk: 999999 })).status).toBe(404);
      expect((await admin.post('/api/webhook:listen').query({ filterByTk: other.get('id') })).status).toBe(404);
      expect((await admin.post('/api/webhook:capture')).status).toBe(400);
    });
  });

  describe('permissions', () => {
    const getApp = useWebhookApp();

    async function signIn(app: MockServer, role: string): Promise<Agent> {
      const user = await app.db.getRepository('users').create({ values: { username: `${role}-user`, roles: [role] } });
      return app.agent().login(user, role);
    }

    it('refuses anonymous callers and roles without workflow management; allows admin and root', async () => {
      const app = getApp();
      const workflow = await createWebhookWorkflow(app);
      const member = await signIn(app, 'member');
      const admin = await signIn(app, 'admin');
      for (const action of ['listen', 'stopListening', 'capture'] as const) {
        const anonymous = await app.agent().post(`/api/webhook:${action}`).query({ filterByTk: workflow.id });
        expect([401, 403]).toContain(anonymous.status);
        expect((await member.post(`/api/webhook:${action}`).query({ filterByTk: workflow.id })).status).toBe(403);
      }
      // Nothing was started by the refused calls: the request runs.
      expect((await app.agent().post(webhookUrl(workflow)).send({})).status).toBe(200);
      await waitForSettledExecutions(app, workflow, 1);

      await call(admin, 'listen', workflow.id);
      expectCapturedAnswer(await app.agent().post(webhookUrl(workflow)).send({}));
      expect((await call(await signInAsRoot(app), 'capture', workflow.id)).capture?.method).toBe('POST');
      // The trigger stays the only public action of the resource.
      expect([401, 403]).toContain((await app.agent().get('/api/webhook:list')).status);
    });
  });

  describe('with a short window', () => {
    const getApp = useWebhookApp({ plugins: pluginsWith({ listenDurationMs: 300 }) });

    it('stops listening when the window ends; requests then run', async () => {
      const app = getApp();
      const admin = await signInAsRoot(app);
      const workflow = await createWebhookWorkflow(app, { config: { response: { statusCode: 202, body: 'ran' } } });
      const started = await call(admin, 'listen', workflow.id);
      expect(started.remainingMs).toBeGreaterThan(0);
      expect(started.remainingMs).toBeLessThanOrEqual(300);
      await waitFor(async () => (await call(admin, 'capture', workflow.id)).remainingMs === 0);
      const res = await app.agent().post(webhookUrl(workflow)).send({});
      expect(res.status).toBe(202);
      expect((await call(admin, 'capture', workflow.id)).capture).toBeNull();
    });
  });

  describe('stored captures', () => {
    const getApp = useWebhookApp();

    it('expire: not shown after their time to live, and deleted by the next listen of any key', async () => {
      const app = getApp();
      const store = new TestCaptureStore(app.db, 1_000);
      const capture: TestCapture = {
        method: 'POST',
        contentType: null,
        headers: {},
        querystring: '',
        query: {},
        body: { a: 1 },
        capturedAt: new Date().toISOString(),
      };
      expect(await store.save('k1', capture)).toBe(true);
      expect(await store.save('k1', capture)).toBe(false);
      expect(await store.find('k1')).toEqual(capture);
      const later = Date.now() + 2_000;
      expect(await store.find('k1', later)).toBeNull();
      await store.clear('k2', later);
      expect(await app.db.getRepository(TEST_CAPTURES_COLLECTION).count()).toBe(0);
    });
  });
});

const sqliteMemory = process.env.DB_DIALECT === 'sqlite' && process.env.DB_STORAGE === ':memory:';

describe('server: listening for a test request in a two-node cluster', () => {
  let cluster: MockCluster;
  let folder: string | undefined;

  beforeEach(async () => {
    // Nodes of a cluster must share the database: an in-memory SQLite one is per process, so use a file.
    folder = sqliteMemory ? fs.mkdtempSync(path.join(os.tmpdir(), 'webhook-listen-')) : undefined;
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

  it('listens through one node, captures on the other, shows the capture through the first', async () => {
    const [first, second] = cluster.nodes;
    const admin = await signInAsRoot(first);
    const workflow = await createWebhookWorkflow(first, { enabled: false });
    await call(admin, 'listen', workflow.id);

    expectCapturedAnswer(await second.agent().put(webhookUrl(workflow, '?via=second')).send({ node: 2 }));
    const state = await call(admin, 'capture', workflow.id);
    // The capturing node's stop reached the first one too.
    expect(state.remainingMs).toBe(0);
    expect(state.capture).toMatchObject({ method: 'PUT', query: { via: 'second' }, body: { node: 2 } });

    expect((await second.agent().put(webhookUrl(workflow)).send({})).status).toBe(405);
    expect((await first.agent().put(webhookUrl(workflow)).send({})).status).toBe(405);
    expect(await findExecutions(first, workflow)).toHaveLength(0);
  });

  it('stops on every node when stopped through one', async () => {
    const [first, second] = cluster.nodes;
    const admin = await signInAsRoot(second);
    const workflow = await createWebhookWorkflow(first, { enabled: false });
    await call(admin, 'listen', workflow.id);
    await call(admin, 'stopListening', workflow.id);
    expect((await first.agent().post(webhookUrl(workflow)).send({})).status).toBe(404);
    expect((await call(await signInAsRoot(first), 'capture', workflow.id)).capture).toBeNull();
  });
});
