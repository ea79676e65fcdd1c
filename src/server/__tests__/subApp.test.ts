import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { Gateway } from '@nocobase/server';
import type { MockServer } from '@nocobase/test';

import { createWebhookApp, createWebhookWorkflow, findExecutions } from './helpers/app';

/**
 * `/api/__app/<name>/...` is resolved by NocoBase's gateway, which rewrites the path and hands the request to the
 * named application, where this plugin answers. Without the multi-app manager only "main" is known to the gateway,
 * so the app-prefixed form is driven here against it, through a real HTTP server.
 */
describe('server: app-prefixed URLs behind the gateway', () => {
  let app: MockServer;
  let server: http.Server;
  let origin: string;

  beforeEach(async () => {
    app = await createWebhookApp();
    server = http.createServer(Gateway.getInstance().getCallback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await app.destroy();
  });

  it('answers /api/__app/<name>/webhook:trigger/<key> from that app', async () => {
    const workflow = await createWebhookWorkflow(app, { config: { response: { statusCode: 202, body: 'via gateway' } } });
    const res = await fetch(`${origin}/api/__app/${app.name}/webhook:trigger/${workflow.key}?x=1`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ from: 'gateway' }),
    });
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('via gateway');
    const [execution] = await findExecutions(app, workflow);
    expect(execution.get('context')).toMatchObject({ query: { x: '1' }, body: { from: 'gateway' } });
  });

  it('answers 405 and 404 the same way through the app prefix', async () => {
    const workflow = await createWebhookWorkflow(app);
    const wrongMethod = await fetch(`${origin}/api/__app/${app.name}/webhook:trigger/${workflow.key}`);
    expect(wrongMethod.status).toBe(405);
    const unknown = await fetch(`${origin}/api/__app/${app.name}/webhook:trigger/unknown`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
  });
});
