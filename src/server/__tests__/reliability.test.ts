import net from 'node:net';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { MockServer } from '@nocobase/test';
import { EXECUTION_STATUS } from '@nocobase/plugin-workflow';

import {
  addNode,
  basicAuthHeader,
  createWebhookApp,
  createWebhookWorkflow,
  findExecutions,
  waitForSettledExecutions,
  webhookUrl,
} from './helpers/app';
import { useFileLoggedApp } from './helpers/fileLogs';

/** Sends raw bytes and returns the first status line the server writes back. */
function rawRequest(port: number, payload: string, halfClose = true): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(payload);
      if (halfClose) {
        socket.end();
      }
    });
    let received = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.on('data', (chunk) => (received += chunk));
    socket.on('close', () => resolve(received.split('\r\n')[0]));
    socket.on('error', reject);
  });
}

describe('server: load, hostile input and secrets', () => {
  let app: MockServer;

  beforeEach(async () => {
    app = await createWebhookApp();
  });

  afterEach(async () => {
    await app.destroy();
  });

  describe('bursts', () => {
    it('answers 500 concurrent async requests and runs exactly 500 executions', async () => {
      const workflow = await createWebhookWorkflow(app);
      await addNode(workflow, { type: 'calculation', config: { engine: 'math.js', expression: '{{$context.body.i}} * 2' } });
      const answers = await Promise.all(
        Array.from({ length: 500 }, (_, i) => app.agent().post(webhookUrl(workflow)).send({ i })),
      );
      expect(answers.filter((res) => res.status === 200)).toHaveLength(500);
      const executions = await waitForSettledExecutions(app, workflow, 500, 90_000);
      expect(executions).toHaveLength(500);
      expect(executions.every((execution) => execution.get('status') === EXECUTION_STATUS.RESOLVED)).toBe(true);
      const delivered = new Set(executions.map((execution) => (execution.get('context') as { body: { i: number } }).body.i));
      expect(delivered.size).toBe(500);
    }, 150_000);

    it('gives each of 100 concurrent sync requests its own answer', async () => {
      const workflow = await createWebhookWorkflow(app, { sync: true });
      await addNode(workflow, {
        type: 'response',
        config: { statusCode: 200, headers: [{ name: 'X-Echo', value: '{{$context.body.id}}' }], body: { id: '{{$context.body.id}}' } },
      });
      const ids = Array.from({ length: 100 }, (_, i) => `req-${i}`);
      const answers = await Promise.all(ids.map((id) => app.agent().post(webhookUrl(workflow)).send({ id })));
      answers.forEach((res, index) => {
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ id: ids[index] });
        expect(res.headers['x-echo']).toBe(ids[index]);
      });
    }, 120_000);
  });

  describe('storage faults', () => {
    it('answers 503 when the delivery cannot be stored, so that the sender retries', async () => {
      const workflow = await createWebhookWorkflow(app);
      const table = app.db.getCollection('executions').quotedTableName();
      await app.db.sequelize.query(`DROP TABLE ${table}${app.db.options.dialect === 'postgres' ? ' CASCADE' : ''}`);
      const res = await app.agent().post(webhookUrl(workflow)).send({ lost: false });
      expect(res.status).toBe(503);
      expect(res.body.errors[0].message).toMatch(/retry/);
    });
  });

  describe('hostile input', () => {
    let server: http.Server;
    let port: number;

    beforeEach(async () => {
      server = http.createServer(app.callback());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });

    afterEach(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('accepts JSON nested 1,000 levels deep as data', async () => {
      const workflow = await createWebhookWorkflow(app);
      const deep = `${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}`;
      const res = await app.agent().post(webhookUrl(workflow)).set('Content-Type', 'application/json').send(deep);
      expect(res.status).toBe(200);
      const [execution] = await waitForSettledExecutions(app, workflow, 1);
      expect(execution.get('status')).toBe(EXECUTION_STATUS.RESOLVED);
    });

    it('refuses a query string nested deeper than 20 levels with 400', async () => {
      const workflow = await createWebhookWorkflow(app);
      const res = await app.agent().post(webhookUrl(workflow, `?a${'[b]'.repeat(25)}=1`)).send({});
      expect(res.status).toBe(400);
      expect(res.body.errors[0].message).toMatch(/levels/);
      expect(await findExecutions(app, workflow)).toHaveLength(0);
    });

    // 10,000 parameters do not fit in Node's 16 KB request head: Node itself refuses them before NocoBase runs.
    // The qs parameter limit (1,000) is what refuses the ones that fit (see trigger.test.ts).
    it('refuses 10,000 query parameters with 431', async () => {
      const workflow = await createWebhookWorkflow(app);
      const query = Array.from({ length: 10_000 }, (_, i) => `k${i}=v`).join('&');
      const res = await fetch(`http://127.0.0.1:${port}${webhookUrl(workflow)}?${query}`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(431);
      expect(await findExecutions(app, workflow)).toHaveLength(0);
    });

    it('reads a body that arrives in pieces after its headers, and two requests sent in one write', async () => {
      const workflow = await createWebhookWorkflow(app);
      const head = (body: string) =>
        `POST ${webhookUrl(workflow)} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
      const slow = JSON.stringify({ part: 'slow', pad: 'é'.repeat(500) });
      const [first, second] = [JSON.stringify({ part: 'one' }), JSON.stringify({ part: 'two' })];
      const received = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', async () => {
          const bytes = Buffer.from(slow);
          socket.write(head(slow));
          await new Promise((r) => setTimeout(r, 50));
          socket.write(bytes.subarray(0, 301));
          await new Promise((r) => setTimeout(r, 50));
          socket.write(bytes.subarray(301));
          await new Promise((r) => setTimeout(r, 200));
          socket.write(`${head(first)}${first}${head(second)}${second}`);
        });
        let text = '';
        socket.setTimeout(10_000, () => socket.destroy(new Error(`3 answers expected within 10 s, got: ${text}`)));
        socket.on('data', (chunk) => {
          text += chunk;
          if ((text.match(/HTTP\/1\.1 /g) ?? []).length === 3) {
            socket.destroy();
          }
        });
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
      expect(received.match(/HTTP\/1\.1 200/g)).toHaveLength(3);
      const executions = await waitForSettledExecutions(app, workflow, 3);
      const bodies = executions.map((execution) => (execution.get('context') as { body: { part: string } }).body);
      expect(bodies.map((body) => body.part).sort()).toEqual(['one', 'slow', 'two']);
      expect(bodies.find((body) => body.part === 'slow')).toEqual(JSON.parse(slow));
    });

    it('answers 400 when the body is shorter than its Content-Length, creating nothing', async () => {
      const workflow = await createWebhookWorkflow(app);
      const status = await rawRequest(
        port,
        `POST ${webhookUrl(workflow)} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":1}`,
      );
      expect(status).toMatch(/^HTTP\/1\.1 400/);
      expect(await findExecutions(app, workflow)).toHaveLength(0);
    });

    it('answers 431 for a header line longer than the server accepts, creating nothing', async () => {
      const workflow = await createWebhookWorkflow(app);
      const res = await fetch(`http://127.0.0.1:${port}${webhookUrl(workflow)}`, {
        method: 'POST',
        headers: { 'X-Huge': 'x'.repeat(64 * 1024) },
        body: '{}',
      });
      expect(res.status).toBe(431);
      expect(await findExecutions(app, workflow)).toHaveLength(0);
    });

    it('answers 431 for a URL longer than the server accepts', async () => {
      const workflow = await createWebhookWorkflow(app);
      const status = await rawRequest(port, `POST ${webhookUrl(workflow)}?q=${'x'.repeat(70 * 1024)} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}`);
      expect(status).toMatch(/^HTTP\/1\.1 431/);
      expect(await findExecutions(app, workflow)).toHaveLength(0);
    });

    it('strips CR/LF that a templated response header would carry from the request', async () => {
      const workflow = await createWebhookWorkflow(app, {
        config: { response: { statusCode: 200, headers: [{ name: 'X-Echo', value: '{{$context.body.note}}' }], body: 'ok' } },
      });
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          const body = JSON.stringify({ note: 'a\r\nSet-Cookie: stolen=1' });
          socket.write(
            `POST ${webhookUrl(workflow)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
          );
        });
        let received = '';
        socket.on('data', (chunk) => (received += chunk));
        socket.on('close', () => resolve(received));
        socket.on('error', reject);
      });
      expect(raw).toMatch(/^HTTP\/1\.1 200/);
      expect(raw).toContain('X-Echo: aSet-Cookie: stolen=1\r\n');
      expect(raw).not.toMatch(/\r\nSet-Cookie: stolen/i);
    });
  });
});

describe('server: secrets stay out of logs and executions', () => {
  const logged = useFileLoggedApp('debug');

  it('never writes the Basic credentials or a bearer token, even at debug level', async () => {
    const app = logged.app();
    const password = 'pa55-Word-7f3a';
    const token = 'tok-9c1e77b2';
    const workflow = await createWebhookWorkflow(app, {
      sync: true,
      config: { basicAuthentication: { username: 'gateway', password } },
    });
    await addNode(workflow, { type: 'response', config: { statusCode: 200, body: { headers: '{{$context.headers}}' } } });

    const accepted = await app
      .agent()
      .post(webhookUrl(workflow))
      .set('Authorization', basicAuthHeader('gateway', password))
      .set('Proxy-Authorization', `Bearer ${token}`)
      .send({ n: 1 });
    expect(accepted.status).toBe(200);
    const refused = await app.agent().post(webhookUrl(workflow)).set('Authorization', basicAuthHeader('gateway', `${password}x`)).send({});
    expect(refused.status).toBe(401);

    const secrets = [password, token, Buffer.from(`gateway:${password}`).toString('base64')];
    const logs = logged.readLogs();
    expect(logs).toContain(workflow.key);
    const executions = JSON.stringify((await findExecutions(app, workflow)).map((execution) => execution.toJSON()));
    for (const secret of secrets) {
      expect(logs).not.toContain(secret);
      expect(executions).not.toContain(secret);
      expect(JSON.stringify(accepted.body)).not.toContain(secret);
    }
  });
});
