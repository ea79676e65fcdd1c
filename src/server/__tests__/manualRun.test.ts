import type { MockServer } from '@nocobase/test';
import { EXECUTION_STATUS } from '@nocobase/plugin-workflow';

import { MASK } from '../../common/constants';
import { addNode, createWebhookApp, createWebhookWorkflow, findExecutions, signInAsRoot } from './helpers/app';

describe('server: manual runs (workflows:execute)', () => {
  let app: MockServer;

  beforeEach(async () => {
    app = await createWebhookApp();
  });

  afterEach(async () => {
    await app.destroy();
  });

  it('runs with a hand-written request, maps the rows, and the Response node resolves without sending', async () => {
    const workflow = await createWebhookWorkflow(app, {
      sync: true,
      config: { request: { body: [{ key: 'order.id', _var: 'body_$0' }], query: [{ key: 'page', _var: 'query_$0' }] } },
    });
    await addNode(workflow, { type: 'response', config: { statusCode: 202, body: { id: '{{$context.body.body_$0}}' } } });
    const admin = await signInAsRoot(app);
    const res = await admin.resource('workflows').execute({
      filterByTk: workflow.id,
      values: { headers: { Authorization: 'Bearer t0ken', 'X-A': '1' }, query: { page: '2' }, body: { order: { id: 5 } } },
    });
    expect(res.status).toBe(200);
    expect(res.body.data.execution.status).toBe(EXECUTION_STATUS.RESOLVED);

    const [execution] = await findExecutions(app, workflow);
    expect(execution.get('manually')).toBe(true);
    expect(execution.get('context')).toEqual({
      headers: { authorization: `Bearer ${MASK}`, 'x-a': '1' },
      query: { page: '2', query_$0: '2' },
      body: { order: { id: 5 }, body_$0: 5 },
    });
    const [job] = execution.get('jobs') as Array<{ result: Record<string, unknown> }>;
    expect(job.result).toEqual({ statusCode: 202, headers: [], body: { id: 5 }, sent: false });
  });

  it('runs without headers, query or body', async () => {
    const workflow = await createWebhookWorkflow(app, { sync: false });
    const admin = await signInAsRoot(app);
    const res = await admin.resource('workflows').execute({ filterByTk: workflow.id, values: {} });
    expect(res.status).toBe(200);
    const [execution] = await findExecutions(app, workflow);
    expect(execution.get('status')).toBe(EXECUTION_STATUS.RESOLVED);
    expect(execution.get('context')).toEqual({ headers: {}, query: {}, body: {} });
  });
});
