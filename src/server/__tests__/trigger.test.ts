import type { MockServer } from '@nocobase/test';
import { EXECUTION_STATUS } from '@nocobase/plugin-workflow';

import { MASK } from '../../common/constants';
import {
  basicAuthHeader,
  createWebhookApp,
  createWebhookWorkflow,
  findExecutions,
  waitForSettledExecutions,
  webhookUrl,
  withAppUnderEnv,
} from './helpers/app';

describe('server/WebhookTrigger over HTTP', () => {
  let app: MockServer;

  beforeEach(async () => {
    app = await createWebhookApp();
  });

  afterEach(async () => {
    await app.destroy();
  });

  describe('routing', () => {
    it.each(['get', 'put', 'patch', 'delete'] as const)('answers %s with 405 and Allow: POST, creating nothing', async (method) => {
      const workflow = await createWebhookWorkflow(app);
      const res = await app.agent()[method](webhookUrl(workflow));
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('POST');
      expect(res.body.errors[0].message).toMatch(/POST/);
      expect(await findExecutions(app, workflow)).toHaveLength(0);
    });

    it('also answers through the resource action form (?filterByTk=<key>)', async () => {
      const workflow = await createWebhookWorkflow(app, { config: { response: { statusCode: 201, body: 'resource' } } });
      const res = await app.agent().post(`/api/webhook:trigger?filterByTk=${workflow.key}`).send({ a: 1 });
      expect(res.status).toBe(201);
      expect(res.text).toBe('resource');
      expect(await findExecutions(app, workflow)).toHaveLength(1);
    });

    it('answers 404 for an unknown key', async () => {
      const res = await app.agent().post('/api/webhook:trigger/no-such-key').send({});
      expect(res.status).toBe(404);
      expect(res.body.errors[0].message).toMatch(/No enabled webhook workflow/);
    });

    it('answers 404 for a disabled workflow and again 200 once it is enabled', async () => {
      const workflow = await createWebhookWorkflow(app, { enabled: false });
      expect((await app.agent().post(webhookUrl(workflow)).send({})).status).toBe(404);
      await workflow.update({ enabled: true });
      expect((await app.agent().post(webhookUrl(workflow)).send({})).status).toBe(200);
      await workflow.update({ enabled: false });
      expect((await app.agent().post(webhookUrl(workflow)).send({})).status).toBe(404);
      expect(await findExecutions(app, workflow)).toHaveLength(1);
    });

    it('answers 404 for a workflow of another type with that key', async () => {
      const other = await app.db.getRepository('workflows').create({
        values: { type: 'collection', title: 'other', enabled: false, config: {} },
      });
      expect((await app.agent().post(`/api/webhook:trigger/${other.get('key')}`).send({})).status).toBe(404);
    });

    it('keeps the URL across revisions; only the enabled revision answers', async () => {
      const first = await createWebhookWorkflow(app, { config: { response: { statusCode: 200, body: 'v1' } } });
      const second = await app.db.getRepository('workflows').create({
        values: { key: first.key, type: 'webhook', title: 'v2', sync: false, config: { response: { statusCode: 200, body: 'v2' } } },
      });
      expect((await app.agent().post(webhookUrl(first)).send({})).text).toBe('v1');

      await second.update({ enabled: true });
      const res = await app.agent().post(webhookUrl(first)).send({});
      expect(res.text).toBe('v2');
      await first.reload();
      expect(first.enabled).toBe(false);
      const executions = await waitForSettledExecutions(app, first, 2);
      expect(executions.map((execution) => execution.get('workflowId'))).toEqual([first.id, second.get('id')]);
    });
  });

  describe('HTTP basic authentication', () => {
    let workflow: Awaited<ReturnType<typeof createWebhookWorkflow>>;

    beforeEach(async () => {
      workflow = await createWebhookWorkflow(app, {
        config: { basicAuthentication: { username: 'gateway', password: 's3cret' } },
      });
    });

    it('accepts the configured credentials', async () => {
      const res = await app.agent().post(webhookUrl(workflow)).set('Authorization', basicAuthHeader('gateway', 's3cret')).send({});
      expect(res.status).toBe(200);
      expect(res.text).toBe('ok');
    });

    it.each([
      ['missing credentials', undefined],
      ['a wrong password', basicAuthHeader('gateway', 'wrong')],
      ['a wrong user name', basicAuthHeader('someone', 's3cret')],
      ['a header that is not base64', 'Basic %%%not-base64%%%'],
      ['credentials without a colon', `Basic ${Buffer.from('gateways3cret').toString('base64')}`],
      ['a bearer token', 'Bearer s3cret'],
    ])('answers 401 with WWW-Authenticate for %s, and records nothing', async (_label, authorization) => {
      const request = app.agent().post(webhookUrl(workflow));
      const res = await (authorization ? request.set('Authorization', authorization) : request).send({});
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Basic realm="[^"]+"/);
      expect(res.body.errors[0].message).toBe('Authentication required: the user name or password is missing or wrong');
      expect(await findExecutions(app, workflow)).toHaveLength(0);
    });
  });

  describe('async execution', () => {
    it('answers the default 200 ok and runs the execution on the queue', async () => {
      const workflow = await createWebhookWorkflow(app);
      const res = await app.agent().post(webhookUrl(workflow)).send({ hello: 'world' });
      expect(res.status).toBe(200);
      expect(res.text).toBe('ok');
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      const [execution] = await waitForSettledExecutions(app, workflow, 1);
      expect(execution.get('status')).toBe(EXECUTION_STATUS.RESOLVED);
    });

    it('has recorded the execution before it answers', async () => {
      const workflow = await createWebhookWorkflow(app);
      await app.agent().post(webhookUrl(workflow)).send({ n: 1 });
      const executions = await findExecutions(app, workflow);
      expect(executions).toHaveLength(1);
      expect(executions[0].get('context')).toMatchObject({ body: { n: 1 } });
    });

    it('sends the configured status, headers and body, with request variables rendered', async () => {
      const workflow = await createWebhookWorkflow(app, {
        config: {
          response: {
            statusCode: 202,
            headers: [{ name: 'X-Handled-By', value: 'nocobase/{{$context.query.source}}' }],
            body: { accepted: true, orderId: '{{$context.body.order.id}}' },
          },
        },
      });
      const res = await app.agent().post(webhookUrl(workflow, '?source=stripe')).send({ order: { id: 77 } });
      expect(res.status).toBe(202);
      expect(res.headers['x-handled-by']).toBe('nocobase/stripe');
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ accepted: true, orderId: 77 });
    });

    it('creates exactly one execution per accepted request', async () => {
      const workflow = await createWebhookWorkflow(app);
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => app.agent().post(webhookUrl(workflow)).send({ i })),
      );
      expect(answers.every((res) => res.status === 200)).toBe(true);
      const executions = await waitForSettledExecutions(app, workflow, 20);
      expect(executions).toHaveLength(20);
      const seen = executions.map((execution) => (execution.get('context') as { body: { i: number } }).body.i).sort((a, b) => a - b);
      expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i));
      await workflow.reload();
      const stats = await app.db.getRepository('workflowStats').findOne({ filter: { key: workflow.key } });
      expect(stats.get('executed')).toBe(20);
    });
  });

  describe('trigger variables', () => {
    it('stores headers (secrets masked), nested query with arrays, and the body with aliased rows', async () => {
      const workflow = await createWebhookWorkflow(app, {
        config: {
          basicAuthentication: { username: 'u', password: 'p' },
          request: {
            headers: [{ key: 'X-Request-Id', alias: 'Request id' }],
            query: [
              { key: 'query[0].a', alias: 'A', _var: 'query_$0' },
              { key: 'page' },
            ],
            body: [
              { key: 'b.c', alias: 'C', _var: 'body_$0' },
              { key: 'items[1].sku', _var: 'body_$1' },
            ],
          },
        },
      });
      const res = await app
        .agent()
        .post(webhookUrl(workflow, '?query[0][a]=1&query[1][a]=2&page=3'))
        .set('Authorization', basicAuthHeader('u', 'p'))
        .set('X-Request-Id', 'req-1')
        .send({ a: 1, b: { c: 2 }, items: [{ sku: 'x' }, { sku: 'y' }] });
      expect(res.status).toBe(200);
      const [execution] = await findExecutions(app, workflow);
      const context = execution.get('context') as Record<string, Record<string, unknown>>;
      expect(context.headers['x-request-id']).toBe('req-1');
      expect(context.headers.authorization).toBe(`Basic ${MASK}`);
      expect(JSON.stringify(execution.toJSON())).not.toContain(Buffer.from('u:p').toString('base64'));
      expect(context.query).toEqual({ query: [{ a: '1' }, { a: '2' }], page: '3', query_$0: '1' });
      expect(context.body).toEqual({ a: 1, b: { c: 2 }, items: [{ sku: 'x' }, { sku: 'y' }], body_$0: 2, body_$1: 'y' });
    });

    it('keeps the raw body when no body rows are configured', async () => {
      const workflow = await createWebhookWorkflow(app);
      await app.agent().post(webhookUrl(workflow)).send([{ id: 1 }, { id: 2 }]);
      const [execution] = await findExecutions(app, workflow);
      expect((execution.get('context') as { body: unknown }).body).toEqual([{ id: 1 }, { id: 2 }]);
    });
  });

  describe('bad input', () => {
    it('answers malformed JSON with a readable 400 and creates no execution', async () => {
      const workflow = await createWebhookWorkflow(app);
      const res = await app.agent().post(webhookUrl(workflow)).set('Content-Type', 'application/json').send('{"a": ');
      expect(res.status).toBe(400);
      expect(res.body.errors[0].message).toMatch(/not valid JSON/);
      expect(await findExecutions(app, workflow)).toHaveLength(0);
    });

    it.each(['"just a string"', '42'])('answers a bare JSON scalar %s with 400', async (payload) => {
      const workflow = await createWebhookWorkflow(app);
      const res = await app.agent().post(webhookUrl(workflow)).set('Content-Type', 'application/json').send(payload);
      expect(res.status).toBe(400);
      expect(await findExecutions(app, workflow)).toHaveLength(0);
    });

    it('answers a body over the limit with 413 and creates no execution', async () => {
      const limit = process.env.REQUEST_BODY_LIMIT;
      const workflow = await createWebhookWorkflow(app);
      const big = JSON.stringify({ blob: 'x'.repeat(11 * 1024 * 1024) });
      const res = await app.agent().post(webhookUrl(workflow)).set('Content-Type', 'application/json').send(big);
      expect(limit).toBeUndefined();
      expect(res.status).toBe(413);
      expect(res.body.errors[0].message).toMatch(/larger than the limit/);
      expect(await findExecutions(app, workflow)).toHaveLength(0);
    });

    it('keeps the 10 MB limit when REQUEST_BODY_LIMIT is set to something that is not a size', async () => {
      await withAppUnderEnv({ REQUEST_BODY_LIMIT: 'lots' }, async (lotsApp) => {
        const workflow = await createWebhookWorkflow(lotsApp);
        const big = JSON.stringify({ blob: 'x'.repeat(11 * 1024 * 1024) });
        const res = await lotsApp.agent().post(webhookUrl(workflow)).set('Content-Type', 'application/json').send(big);
        expect(res.status).toBe(413);
        expect(await findExecutions(lotsApp, workflow)).toHaveLength(0);
      });
      await withAppUnderEnv({ REQUEST_BODY_LIMIT: '1kb' }, async (smallApp) => {
        const workflow = await createWebhookWorkflow(smallApp);
        const small = await smallApp.agent().post(webhookUrl(workflow)).send({ blob: 'x'.repeat(2048) });
        expect(small.status).toBe(413);
      });
    });

    it('reads REQUEST_BODY_LIMIT as the plugin loads, as NocoBase does, not on every request', async () => {
      const workflow = await createWebhookWorkflow(app);
      process.env.REQUEST_BODY_LIMIT = '1kb';
      try {
        const res = await app.agent().post(webhookUrl(workflow)).send({ blob: 'x'.repeat(2048) });
        expect(res.status).toBe(200);
      } finally {
        delete process.env.REQUEST_BODY_LIMIT;
      }
    });

    it('answers too many query parameters with 400 and creates no execution', async () => {
      const workflow = await createWebhookWorkflow(app);
      const query = Array.from({ length: 1500 }, (_, i) => `p${i}=1`).join('&');
      const res = await app.agent().post(webhookUrl(workflow, `?${query}`)).send({});
      expect(res.status).toBe(400);
      expect(res.body.errors[0].message).toMatch(/at most 1000 parameters/);
      expect(await findExecutions(app, workflow)).toHaveLength(0);
    });

    it('refuses a JSON body with a __proto__ key with 400, creating nothing', async () => {
      const workflow = await createWebhookWorkflow(app);
      const res = await app
        .agent()
        .post(webhookUrl(workflow))
        .set('Content-Type', 'application/json')
        .send('{"__proto__": {"polluted": true}}');
      expect(res.status).toBe(400);
      expect(res.body.errors[0].message).toMatch(/prototype/);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(await findExecutions(app, workflow)).toHaveLength(0);
    });

    it('keeps a constructor.prototype body as plain data, polluting nothing', async () => {
      const workflow = await createWebhookWorkflow(app, {
        config: { request: { body: [{ key: 'safe', _var: 'body_$0' }] } },
      });
      const res = await app
        .agent()
        .post(webhookUrl(workflow))
        .set('Content-Type', 'application/json')
        .send('{"constructor": {"prototype": {"polluted": true}}, "safe": 1}');
      expect(res.status).toBe(200);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
      const [execution] = await findExecutions(app, workflow);
      expect(execution.get('context')).toMatchObject({ body: { constructor: { prototype: { polluted: true } }, body_$0: 1 } });
    });

    it('drops prototype keys of the query string and keeps ordinary "constructor" data', async () => {
      const workflow = await createWebhookWorkflow(app, {
        config: { request: { body: [{ key: 'constructor', _var: 'body_$0' }] } },
      });
      const res = await app
        .agent()
        .post(webhookUrl(workflow, '?__proto__[polluted]=1&constructor[prototype][polluted]=1&a=1'))
        .send({ constructor: 'Ford' });
      expect(res.status).toBe(200);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      const [execution] = await findExecutions(app, workflow);
      const context = execution.get('context') as { query: Record<string, unknown>; body: Record<string, unknown> };
      expect(context.query.a).toBe('1');
      expect(Object.keys(context.query)).not.toContain('__proto__');
      expect(context.body).toEqual({ constructor: 'Ford', body_$0: 'Ford' });
    });
  });

  describe('access control', () => {
    it('leaves every other action of NocoBase closed to anonymous callers', async () => {
      await createWebhookWorkflow(app);
      expect((await app.agent().get('/api/workflows:list')).status).toBe(401);
      expect((await app.agent().get('/api/executions:list')).status).toBe(401);
      expect((await app.agent().post('/api/webhook:list')).status).not.toBe(200);
    });
  });
});
