import { basicAuthHeader, createWebhookWorkflow, waitFor, webhookUrl } from './helpers/app';
import { useFileLoggedApp } from './helpers/fileLogs';

interface LogLine {
  level: string;
  message: string;
  path?: string;
  method?: string;
  status?: number;
  reqId?: string;
  cost?: number;
  req?: unknown;
  res?: unknown;
}

describe('server: one line per webhook request in NocoBase request log', () => {
  const logged = useFileLoggedApp('info');

  const requestLogLines = (): LogLine[] =>
    logged
      .readLogs('request')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LogLine);

  it('writes one line per request, with its status, level and the id it answered with', async () => {
    const app = logged.app();
    const password = 'access-log-secret-81';
    const workflow = await createWebhookWorkflow(app, {
      sync: false,
      config: { basicAuthentication: { username: 'gateway', password } },
    });

    const accepted = await app
      .agent()
      .post(webhookUrl(workflow, '?order=7'))
      .set('Authorization', basicAuthHeader('gateway', password))
      .send({ n: 1 });
    const refused = await app.agent().post(webhookUrl(workflow)).set('Authorization', basicAuthHeader('gateway', 'no')).send({});
    const wrongMethod = await app.agent().get(webhookUrl(workflow));
    expect([accepted.status, refused.status, wrongMethod.status]).toEqual([200, 401, 405]);

    // Written at info level on a file transport: give the stream a moment to reach the file.
    const lines = await waitFor(async () => {
      const written = requestLogLines().filter((line) => line.path?.includes(workflow.key));
      return written.length >= 3 && written;
    }, 5_000);
    expect(lines.map(({ message, method, status, level }) => ({ message, method, status, level }))).toEqual([
      { message: `response ${webhookUrl(workflow, '?order=7')}`, method: 'POST', status: 200, level: 'info' },
      { message: `response ${webhookUrl(workflow)}`, method: 'POST', status: 401, level: 'warn' },
      { message: `response ${webhookUrl(workflow)}`, method: 'GET', status: 405, level: 'warn' },
    ]);
    const answers = [accepted, refused, wrongMethod];
    lines.forEach((line, index) => {
      expect(line.reqId).toMatch(/^[0-9a-f-]{36}$/);
      expect(line.reqId).toBe(answers[index].headers['x-request-id']);
      expect(typeof line.cost).toBe('number');
    });
    expect(new Set(lines.map((line) => line.reqId)).size).toBe(3);
    expect(lines[0].res).toEqual({ status: 200 });
    const raw = JSON.stringify(requestLogLines());
    expect(raw).not.toContain(password);
    expect(raw).not.toContain(Buffer.from(`gateway:${password}`).toString('base64'));
  });

  it("picks the same request headers as NocoBase's own request line, and no other", async () => {
    const app = logged.app();
    const workflow = await createWebhookWorkflow(app, { sync: false });
    const headers = { 'X-Locale': 'ru-RU', 'X-Role': 'root', Referer: 'https://gateway.example/', 'X-Other': 'left out' };
    await app.agent().get('/api/app:getLang').set(headers);
    const answer = await app.agent().post(webhookUrl(workflow)).set(headers).send({ n: 1 });
    expect(answer.status).toBe(200);
    const [ours, theirs] = await waitFor(async () => {
      const all = requestLogLines();
      const webhook = all.find((line) => line.path === webhookUrl(workflow));
      const nocobase = all.find((line) => line.message === 'request GET /api/app:getLang');
      return webhook && nocobase && [webhook, nocobase];
    }, 5_000);
    expect(ours.req).toEqual({ header: { 'x-locale': 'ru-RU', 'x-role': 'root', referer: 'https://gateway.example/' } });
    expect(ours.req).toEqual(theirs.req);
  });

  it('leaves other requests to NocoBase request logger (a request and a response line)', async () => {
    const app = logged.app();
    await app.agent().get('/api/app:getLang');
    const lines = await waitFor(async () => {
      const written = requestLogLines().filter((line) => line.path === '/api/app:getLang');
      return written.length >= 2 && written;
    }, 5_000);
    expect(lines.map((line) => line.message)).toEqual(['request GET /api/app:getLang', 'response /api/app:getLang']);
  });
});
