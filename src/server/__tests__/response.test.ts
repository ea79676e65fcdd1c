import type { MockServer } from '@nocobase/test';
import { EXECUTION_STATUS, JOB_STATUS } from '@nocobase/plugin-workflow';
import type { WorkflowModel } from '@nocobase/plugin-workflow';

import {
  addNode,
  addPaymentExample,
  createWebhookApp,
  createWebhookWorkflow,
  findExecutions,
  waitForSettledExecutions,
  webhookUrl,
} from './helpers/app';

const ON_TRUE = 1;

describe('server/ResponseInstruction in synchronous webhook workflows', () => {
  let app: MockServer;

  beforeEach(async () => {
    app = await createWebhookApp();
  });

  afterEach(async () => {
    await app.destroy();
  });

  describe('the seed example: Condition -> success or error Response', () => {
    it('answers each branch with its own status, headers and body, without { data } wrapping', async () => {
      const workflow = await createWebhookWorkflow(app, { sync: true });
      await addPaymentExample(workflow);

      const paid = await app.agent().post(webhookUrl(workflow)).send({ status: 'paid', orderId: 'A-1' });
      expect(paid.status).toBe(200);
      expect(paid.headers['x-order']).toBe('A-1');
      expect(paid.body).toEqual({ received: true, orderId: 'A-1' });

      const failed = await app.agent().post(webhookUrl(workflow)).send({ status: 'declined', orderId: 'A-2' });
      expect(failed.status).toBe(400);
      expect(failed.body).toEqual({ error: 'payment declined' });

      const executions = await findExecutions(app, workflow);
      expect(executions.map((execution) => execution.get('status'))).toEqual([
        EXECUTION_STATUS.RESOLVED,
        EXECUTION_STATUS.RESOLVED,
      ]);
    });

    it('records what it sent as the job result', async () => {
      const workflow = await createWebhookWorkflow(app, { sync: true });
      await addPaymentExample(workflow);
      await app.agent().post(webhookUrl(workflow)).send({ status: 'paid', orderId: 'B-7' });
      const [execution] = await findExecutions(app, workflow);
      const responseJob = (execution.get('jobs') as Array<{ result: Record<string, unknown>; status: number }>).find(
        (job) => typeof job.result === 'object' && job.result !== null && 'statusCode' in job.result,
      );
      expect(responseJob).toMatchObject({
        status: JOB_STATUS.RESOLVED,
        result: {
          statusCode: 200,
          headers: [{ name: 'X-Order', value: 'B-7' }],
          body: { received: true, orderId: 'B-7' },
          sent: true,
        },
      });
    });
  });

  describe('answers', () => {
    it('sends a string body as text', async () => {
      const workflow = await createWebhookWorkflow(app, { sync: true });
      await addNode(workflow, { type: 'response', config: { statusCode: 201, body: 'created {{$context.query.id}}' } });
      const res = await app.agent().post(webhookUrl(workflow, '?id=9')).send({});
      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toBe('created 9');
    });

    it('defaults to 200 and an empty JSON object', async () => {
      const workflow = await createWebhookWorkflow(app, { sync: true });
      await addNode(workflow, { type: 'response', config: {} });
      const res = await app.agent().post(webhookUrl(workflow)).send({});
      expect(res.status).toBe(200);
      expect(res.body).toEqual({});
    });

    it('ends the execution: nodes after the Response node do not run', async () => {
      const workflow = await createWebhookWorkflow(app, { sync: true });
      const response = await addNode(workflow, { type: 'response', config: { statusCode: 200, body: 'first' } });
      await addNode(workflow, { type: 'end', upstream: response, config: { endStatus: JOB_STATUS.FAILED } });
      const res = await app.agent().post(webhookUrl(workflow)).send({});
      expect(res.text).toBe('first');
      const [execution] = await findExecutions(app, workflow);
      expect(execution.get('status')).toBe(EXECUTION_STATUS.RESOLVED);
      expect(execution.get('jobs')).toHaveLength(1);
    });

    it('uses a variable from an earlier node in the body', async () => {
      const workflow = await createWebhookWorkflow(app, { sync: true });
      const calc = await addNode(workflow, {
        type: 'calculation',
        config: { engine: 'math.js', expression: '{{$context.body.a}} + {{$context.body.b}}' },
      });
      await addNode(workflow, {
        type: 'response',
        upstream: calc,
        config: { statusCode: 200, body: { sum: `{{$jobsMapByNodeKey.${calc.key}}}` } },
      });
      const res = await app.agent().post(webhookUrl(workflow)).send({ a: 2, b: 3 });
      expect(res.body).toEqual({ sum: 5 });
    });
  });

  describe('without an answering Response node', () => {
    it('answers 200 with an empty body when the flow has no Response node and resolves', async () => {
      const workflow = await createWebhookWorkflow(app, { sync: true });
      await addNode(workflow, { type: 'calculation', config: { engine: 'math.js', expression: '1 + 1' } });
      const res = await app.agent().post(webhookUrl(workflow)).send({});
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
    });

    it('answers 500 when the execution fails, without internals', async () => {
      const workflow = await createWebhookWorkflow(app, { sync: true });
      await addNode(workflow, { type: 'end', config: { endStatus: JOB_STATUS.FAILED } });
      const res = await app.agent().post(webhookUrl(workflow)).send({});
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ errors: [{ message: expect.stringMatching(/workflow failed/) }] });
      expect(res.text).not.toMatch(/\bat .*\.js:\d+/);
    });

    it('answers 500 when a node throws, without a stack trace', async () => {
      const workflow = await createWebhookWorkflow(app, { sync: true });
      await addNode(workflow, { type: 'calculation', config: { engine: 'math.js', expression: 'undefinedFn(' } });
      const res = await app.agent().post(webhookUrl(workflow)).send({});
      expect(res.status).toBe(500);
      expect(res.text).not.toMatch(/stack|\.js:\d+|undefinedFn/);
      const [execution] = await findExecutions(app, workflow);
      expect(execution.get('status')).toBeLessThan(0);
    });

    it('answers 500 when a Response node exists but was not reached', async () => {
      const workflow = await createWebhookWorkflow(app, { sync: true });
      const condition = await addNode(workflow, {
        type: 'condition',
        config: {
          rejectOnFalse: false,
          engine: 'basic',
          calculation: { group: { type: 'and', calculations: [{ calculator: 'equal', operands: ['{{$context.body.ok}}', true] }] } },
        },
      });
      await addNode(workflow, { type: 'response', upstream: condition, branchIndex: ON_TRUE, config: { statusCode: 200 } });
      expect((await app.agent().post(webhookUrl(workflow)).send({ ok: true })).status).toBe(200);
      expect((await app.agent().post(webhookUrl(workflow)).send({ ok: false })).status).toBe(500);
    });
  });

  describe('timeouts', () => {
    it('answers 408 when the workflow exceeds its timeout', async () => {
      const workflow = await createWebhookWorkflow(app, { sync: true, options: { timeout: 300 } });
      const sleep = await addNode(workflow, { type: 'test-sleep', config: { ms: 5_000 } });
      await addNode(workflow, { type: 'response', upstream: sleep, config: { statusCode: 200 } });
      const started = Date.now();
      const res = await app.agent().post(webhookUrl(workflow)).send({});
      expect(res.status).toBe(408);
      expect(Date.now() - started).toBeLessThan(4_000);
      // The answer may go out at the request's own clock, a moment before the engine records the abort.
      const [execution] = await waitForSettledExecutions(app, workflow, 1);
      expect(execution.get('status')).toBe(EXECUTION_STATUS.ABORTED);
    });

    it('answers 408 at the timeout even when a node ignores the abort signal', async () => {
      const workflow = await createWebhookWorkflow(app, { sync: true, options: { timeout: 300 } });
      const sleep = await addNode(workflow, { type: 'test-sleep', config: { ms: 1_500, abortable: false } });
      await addNode(workflow, { type: 'response', upstream: sleep, config: { statusCode: 200, body: 'late' } });
      const started = Date.now();
      const res = await app.agent().post(webhookUrl(workflow)).send({});
      expect(res.status).toBe(408);
      expect(Date.now() - started).toBeLessThan(1_400);
    });

    it('answers normally when the workflow finishes within its timeout', async () => {
      const workflow = await createWebhookWorkflow(app, { sync: true, options: { timeout: 5_000 } });
      const sleep = await addNode(workflow, { type: 'test-sleep', config: { ms: 50 } });
      await addNode(workflow, { type: 'response', upstream: sleep, config: { statusCode: 202, body: 'in time' } });
      const res = await app.agent().post(webhookUrl(workflow)).send({});
      expect(res.status).toBe(202);
      expect(res.text).toBe('in time');
    });
  });

  describe('concurrency', () => {
    it('gives each of many concurrent requests its own answer', async () => {
      const workflow = await createWebhookWorkflow(app, { sync: true });
      await addNode(workflow, {
        type: 'response',
        config: { statusCode: 200, headers: [{ name: 'X-Echo', value: '{{$context.body.id}}' }], body: { id: '{{$context.body.id}}' } },
      });
      const ids = Array.from({ length: 30 }, (_, i) => `req-${i}`);
      const answers = await Promise.all(ids.map((id) => app.agent().post(webhookUrl(workflow)).send({ id })));
      answers.forEach((res, index) => {
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ id: ids[index] });
        expect(res.headers['x-echo']).toBe(ids[index]);
      });
    });
  });
});
