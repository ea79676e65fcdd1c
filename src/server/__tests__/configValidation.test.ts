import type { MockServer } from '@nocobase/test';

import { createWebhookApp, createWebhookWorkflow, signInAsRoot } from './helpers/app';

describe('server: config validation when an admin saves', () => {
  let app: MockServer;
  let admin: Awaited<ReturnType<typeof signInAsRoot>>;

  beforeEach(async () => {
    app = await createWebhookApp();
    admin = await signInAsRoot(app);
  });

  afterEach(async () => {
    await app.destroy();
  });

  describe('webhook workflows', () => {
    it('creates a workflow with the default config', async () => {
      const res = await admin.resource('workflows').create({
        values: {
          type: 'webhook',
          title: 'payments',
          sync: false,
          config: { basicAuthentication: false, request: {}, response: { statusCode: 200, body: 'ok' } },
        },
      });
      expect(res.status).toBe(200);
      expect(res.body.data.key).toMatch(/^\w+$/);
    });

    it.each([
      ['response.statusCode', { response: { statusCode: 700 } }],
      ['response.headers[0].name', { response: { headers: [{ name: 'Bad Header', value: 'x' }] } }],
      ['basicAuthentication.password', { basicAuthentication: { username: 'u' } }],
      ['request.body[0].key', { request: { body: [{ alias: 'no key' }] } }],
    ])('refuses to create one with a bad %s (400 naming the field)', async (field, config) => {
      const res = await admin.resource('workflows').create({ values: { type: 'webhook', title: 't', config } });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain(field);
    });

    it('refuses an update that switches Basic auth on without a password', async () => {
      const workflow = await createWebhookWorkflow(app, { enabled: false });
      const res = await admin.resource('workflows').update({
        filterByTk: workflow.id,
        values: { config: { basicAuthentication: { username: 'only-user' } } },
      });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain('basicAuthentication.password');
    });
  });

  describe('Response nodes', () => {
    it('are accepted in a synchronous webhook workflow', async () => {
      const workflow = await createWebhookWorkflow(app, { sync: true, enabled: false });
      const res = await admin
        .resource('workflows.nodes', workflow.id)
        .create({ values: { type: 'response', config: { statusCode: 201, body: {} } } });
      expect(res.status).toBe(200);
    });

    it('are refused in an asynchronous webhook workflow', async () => {
      const workflow = await createWebhookWorkflow(app, { sync: false, enabled: false });
      const res = await admin.resource('workflows.nodes', workflow.id).create({ values: { type: 'response', config: {} } });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toMatch(/not available/);
    });

    it('are refused in a workflow of another type, even a synchronous one', async () => {
      const other = await app.db.getRepository('workflows').create({
        values: { type: 'collection', title: 'c', sync: true, enabled: false, config: {} },
      });
      const res = await admin.resource('workflows.nodes', other.get('id')).create({ values: { type: 'response', config: {} } });
      expect(res.status).toBe(400);
    });

    it('refuse a bad status code or header name, naming the field', async () => {
      const workflow = await createWebhookWorkflow(app, { sync: true, enabled: false });
      const badStatus = await admin
        .resource('workflows.nodes', workflow.id)
        .create({ values: { type: 'response', config: { statusCode: 100 } } });
      expect(badStatus.status).toBe(400);
      expect(JSON.stringify(badStatus.body)).toContain('statusCode');
      const badHeader = await admin
        .resource('workflows.nodes', workflow.id)
        .create({ values: { type: 'response', config: { statusCode: 200, headers: [{ name: 'a b', value: '' }] } } });
      expect(badHeader.status).toBe(400);
      expect(JSON.stringify(badHeader.body)).toContain('headers[0].name');
    });
  });
});
