import { createHmac } from 'node:crypto';

import jwt from 'jsonwebtoken';

import { MASK } from '../../common/constants';
import {
  basicAuthHeader,
  createWebhookWorkflow,
  findExecutions,
  useWebhookApp,
  waitForSettledExecutions,
  webhookUrl,
} from './helpers/app';

const GITHUB_SECRET = 'It is a secret to everybody';

function githubSignature(body: string, secret = GITHUB_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

const githubSignatureConfig = (secrets: string[] = [GITHUB_SECRET]) => ({
  preset: 'github',
  algorithm: 'sha256',
  header: 'X-Hub-Signature-256',
  format: 'plain',
  prefix: 'sha256=',
  encoding: 'hex',
  payload: '{body}',
  secrets,
});

describe('server: optional request checks', () => {
  const app = useWebhookApp();

  describe('signature (GitHub preset) over the raw bytes', () => {
    // Whitespace, key order and a unicode escape: re-serializing the parsed JSON would change the bytes.
    const body = '{ "zen": "Keep it logically awesome.",  "hook_id": 1, "name": "caf\\u00e9" }';

    it('accepts a delivery signed over exactly the bytes sent, and runs it', async () => {
      const workflow = await createWebhookWorkflow(app(), { config: { signature: githubSignatureConfig() } });
      const res = await app()
        .agent()
        .post(webhookUrl(workflow))
        .set('Content-Type', 'application/json')
        .set('X-Hub-Signature-256', githubSignature(body))
        .send(body);
      expect(res.status).toBe(200);
      const [execution] = await waitForSettledExecutions(app(), workflow, 1);
      expect(execution.get('context').body).toEqual({ zen: 'Keep it logically awesome.', hook_id: 1, name: 'café' });
    });

    it.each([
      ['a tampered body', { signedBody: body, sentBody: body.replace('1', '2'), secret: GITHUB_SECRET }, /does not match/],
      ['a wrong secret', { signedBody: body, sentBody: body, secret: 'guess' }, /does not match/],
      ['the JSON re-serialized', { signedBody: JSON.stringify(JSON.parse(body)), sentBody: body, secret: GITHUB_SECRET }, /does not match/],
    ])('refuses %s with 401, naming the reason, and creates nothing', async (_name, { signedBody, sentBody, secret }, reason) => {
      const workflow = await createWebhookWorkflow(app(), { config: { signature: githubSignatureConfig() } });
      const signature = githubSignature(signedBody, secret);
      const res = await app()
        .agent()
        .post(webhookUrl(workflow))
        .set('Content-Type', 'application/json')
        .set('X-Hub-Signature-256', signature)
        .send(sentBody);
      expect(res.status).toBe(401);
      expect(res.body.errors[0].message).toMatch(reason);
      expect(res.text).not.toContain(githubSignature(sentBody).slice(7));
      expect(res.text).not.toContain(GITHUB_SECRET);
      expect(await findExecutions(app(), workflow)).toHaveLength(0);
    });

    it('refuses a delivery without the signature header', async () => {
      const workflow = await createWebhookWorkflow(app(), { config: { signature: githubSignatureConfig() } });
      const res = await app().agent().post(webhookUrl(workflow)).send({ a: 1 });
      expect(res.status).toBe(401);
      expect(res.body.errors[0].message).toMatch(/X-Hub-Signature-256/i);
    });

    it('reads the secret from a {{$env.NAME}} variable at request time', async () => {
      app().environment.setVariable('GITHUB_WEBHOOK_SECRET', GITHUB_SECRET, { isSecret: true });
      const workflow = await createWebhookWorkflow(app(), {
        config: { signature: githubSignatureConfig(['{{$env.GITHUB_WEBHOOK_SECRET}}']) },
      });
      const send = () =>
        app()
          .agent()
          .post(webhookUrl(workflow))
          .set('Content-Type', 'application/json')
          .set('X-Hub-Signature-256', githubSignature(body))
          .send(body);
      expect((await send()).status).toBe(200);
      app().environment.setVariable('GITHUB_WEBHOOK_SECRET', 'rotated', { isSecret: true });
      expect((await send()).status).toBe(401);
    });

    it('accepts a Stripe delivery where any of several v1 signatures matches, and refuses a stale timestamp', async () => {
      const secret = 'whsec_stripe_test_secret';
      const workflow = await createWebhookWorkflow(app(), {
        config: {
          signature: {
            preset: 'stripe',
            algorithm: 'sha256',
            header: 'Stripe-Signature',
            format: 'stripe',
            encoding: 'hex',
            payload: '{timestamp}.{body}',
            toleranceSeconds: 300,
            secrets: [secret],
          },
        },
      });
      const payload = '{"id":"evt_1","type":"payment_intent.succeeded"}';
      const t = Math.floor(Date.now() / 1000);
      const v1 = createHmac('sha256', secret).update(`${t}.${payload}`).digest('hex');
      const send = (header: string) =>
        app().agent().post(webhookUrl(workflow)).set('Content-Type', 'application/json').set('Stripe-Signature', header).send(payload);
      expect((await send(`t=${t},v1=${'0'.repeat(64)},v1=${v1}`)).status).toBe(200);
      const stale = await send(`t=${t - 301},v1=${createHmac('sha256', secret).update(`${t - 301}.${payload}`).digest('hex')}`);
      expect(stale.status).toBe(401);
      expect(stale.body.errors[0].message).toMatch(/300 s/);
    });
  });

  describe('header token', () => {
    it('accepts Authorization: Bearer <token> and masks it in the execution', async () => {
      const workflow = await createWebhookWorkflow(app(), { config: { headerToken: { header: 'Authorization', token: 't0ken' } } });
      expect((await app().agent().post(webhookUrl(workflow)).set('Authorization', 'Bearer wrong').send({})).status).toBe(401);
      expect((await app().agent().post(webhookUrl(workflow)).send({})).status).toBe(401);
      expect((await app().agent().post(webhookUrl(workflow)).set('Authorization', 'Bearer t0ken').send({})).status).toBe(200);
      const [execution] = await waitForSettledExecutions(app(), workflow, 1);
      expect(execution.get('context').headers.authorization).toBe(`Bearer ${MASK}`);
    });

    it('masks a custom token header in the stored execution', async () => {
      const workflow = await createWebhookWorkflow(app(), { config: { headerToken: { header: 'X-Webhook-Token', token: 'pa55' } } });
      expect((await app().agent().post(webhookUrl(workflow)).set('X-Webhook-Token', 'pa55').send({})).status).toBe(200);
      const [execution] = await waitForSettledExecutions(app(), workflow, 1);
      expect(execution.get('context').headers['x-webhook-token']).toBe(MASK);
      expect(JSON.stringify(execution.get('context'))).not.toContain('pa55');
    });

    it('requires every configured check: Basic auth right but token wrong is 401', async () => {
      const workflow = await createWebhookWorkflow(app(), {
        config: {
          basicAuthentication: { username: 'ci', password: 'pw' },
          headerToken: { header: 'X-Webhook-Token', token: 'pa55' },
        },
      });
      const send = (token: string) =>
        app().agent().post(webhookUrl(workflow)).set('Authorization', basicAuthHeader('ci', 'pw')).set('X-Webhook-Token', token).send({});
      expect((await send('nope')).status).toBe(401);
      expect((await send('pa55')).status).toBe(200);
    });
  });

  describe('JWT', () => {
    const config = { jwt: { header: 'Authorization', algorithms: ['HS256'], secret: 'jwt-secret', issuer: 'ci' } };

    it('puts the verified claims in $context.auth', async () => {
      const workflow = await createWebhookWorkflow(app(), { config });
      const token = jwt.sign({ sub: 'deployer', scope: 'deploy' }, 'jwt-secret', { algorithm: 'HS256', issuer: 'ci', expiresIn: 60 });
      const res = await app().agent().post(webhookUrl(workflow)).set('Authorization', `Bearer ${token}`).send({});
      expect(res.status).toBe(200);
      const [execution] = await waitForSettledExecutions(app(), workflow, 1);
      expect(execution.get('context').auth).toMatchObject({ sub: 'deployer', scope: 'deploy', iss: 'ci' });
      expect(JSON.stringify(execution.get('context'))).not.toContain(token);
    });

    it.each([
      ['expired', () => jwt.sign({ sub: 'x', exp: Math.floor(Date.now() / 1000) - 10 }, 'jwt-secret', { issuer: 'ci' }), /expired/],
      ['signed with another secret', () => jwt.sign({ sub: 'x' }, 'other', { issuer: 'ci' }), /signature/],
      ['from another issuer', () => jwt.sign({ sub: 'x' }, 'jwt-secret', { issuer: 'evil' }), /issuer/],
    ])('refuses a token %s with 401', async (_name, sign, reason) => {
      const workflow = await createWebhookWorkflow(app(), { config });
      const res = await app().agent().post(webhookUrl(workflow)).set('Authorization', `Bearer ${sign()}`).send({});
      expect(res.status).toBe(401);
      expect(res.body.errors[0].message).toMatch(reason);
      expect(await findExecutions(app(), workflow)).toHaveLength(0);
    });
  });

  describe('IP allow-list', () => {
    it('lets the loopback caller in when listed, and answers 403 otherwise', async () => {
      const allowed = await createWebhookWorkflow(app(), { config: { ipAllowList: { ranges: ['127.0.0.0/8', '::1'] } } });
      const refused = await createWebhookWorkflow(app(), { config: { ipAllowList: { ranges: ['10.0.0.0/8'] } } });
      expect((await app().agent().post(webhookUrl(allowed)).send({})).status).toBe(200);
      const res = await app().agent().post(webhookUrl(refused)).send({});
      expect(res.status).toBe(403);
      expect(res.body.errors[0].message).toMatch(/not allowed/);
      expect(await findExecutions(app(), refused)).toHaveLength(0);
    });

    it('honours X-Forwarded-For only when the app trusts its proxy', async () => {
      const workflow = await createWebhookWorkflow(app(), { config: { ipAllowList: { ranges: ['203.0.113.0/24'] } } });
      const send = () => app().agent().post(webhookUrl(workflow)).set('X-Forwarded-For', '203.0.113.7').send({});
      expect((await send()).status).toBe(403);
      app().proxy = true;
      expect((await send()).status).toBe(200);
    });
  });

  describe('rate limit', () => {
    it('answers 429 with Retry-After past the limit, per workflow, creating nothing for refused requests', async () => {
      const limited = await createWebhookWorkflow(app(), { config: { rateLimit: { limit: 2, windowSeconds: 3600 } } });
      const other = await createWebhookWorkflow(app(), { config: { rateLimit: { limit: 2, windowSeconds: 3600 } } });
      const statuses: number[] = [];
      let retryAfter = '';
      for (let i = 0; i < 4; i++) {
        const res = await app().agent().post(webhookUrl(limited)).send({ i });
        statuses.push(res.status);
        retryAfter = res.headers['retry-after'] ?? retryAfter;
      }
      expect(statuses).toEqual([200, 200, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(retryAfter)).toBeLessThanOrEqual(3600);
      expect((await app().agent().post(webhookUrl(other)).send({})).status).toBe(200);
      expect(await waitForSettledExecutions(app(), limited, 2)).toHaveLength(2);
    });
  });

  it('keeps a workflow with only Basic auth working as before', async () => {
    const workflow = await createWebhookWorkflow(app(), { config: { basicAuthentication: { username: 'u', password: 'p' } } });
    const refused = await app().agent().post(webhookUrl(workflow)).send({});
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect((await app().agent().post(webhookUrl(workflow)).set('Authorization', basicAuthHeader('u', 'p')).send({})).status).toBe(200);
  });
});
