import {
  addPaymentExample,
  createWebhookWorkflow,
  findExecutions,
  useWebhookApp,
  waitForSettledExecutions,
  webhookUrl,
} from './helpers/app';

const byHeader = { idempotency: { source: 'header', key: 'Idempotency-Key' } };
const echoResponse = { response: { statusCode: 202, body: { accepted: '{{$context.body.n}}' } } };

describe('server: idempotent deliveries', () => {
  const app = useWebhookApp();

  describe('async', () => {
    it('runs a repeated key once and answers the repeat as the first (rendered from the first delivery)', async () => {
      const workflow = await createWebhookWorkflow(app(), { config: { ...byHeader, ...echoResponse } });
      const first = await app().agent().post(webhookUrl(workflow)).set('Idempotency-Key', 'k-1').send({ n: 1 });
      const repeat = await app().agent().post(webhookUrl(workflow)).set('Idempotency-Key', 'k-1').send({ n: 2 });
      expect(first.status).toBe(202);
      expect(first.body).toEqual({ accepted: 1 });
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(repeat.status).toBe(202);
      expect(repeat.body).toEqual({ accepted: 1 });
      expect(repeat.headers['idempotent-replayed']).toBe('true');
      await waitForSettledExecutions(app(), workflow, 1);
      expect(await findExecutions(app(), workflow)).toHaveLength(1);
    });

    it('runs different keys, and deliveries without a key, each once', async () => {
      const workflow = await createWebhookWorkflow(app(), { config: byHeader });
      await app().agent().post(webhookUrl(workflow)).set('Idempotency-Key', 'a').send({});
      await app().agent().post(webhookUrl(workflow)).set('Idempotency-Key', 'b').send({});
      await app().agent().post(webhookUrl(workflow)).send({});
      await app().agent().post(webhookUrl(workflow)).send({});
      expect(await waitForSettledExecutions(app(), workflow, 4)).toHaveLength(4);
    });

    it('creates one execution for 20 concurrent deliveries of one key, all answered 2xx', async () => {
      const workflow = await createWebhookWorkflow(app(), { config: byHeader });
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => app().agent().post(webhookUrl(workflow)).set('Idempotency-Key', 'burst').send({ i })),
      );
      expect(answers.map((res) => res.status)).toEqual(Array(20).fill(200));
      expect(answers.filter((res) => res.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
      await waitForSettledExecutions(app(), workflow, 1);
      expect(await findExecutions(app(), workflow)).toHaveLength(1);
    });

    it("takes the key from a body path (Stripe's event id)", async () => {
      const workflow = await createWebhookWorkflow(app(), { config: { idempotency: { source: 'body', key: 'id' } } });
      await app().agent().post(webhookUrl(workflow)).send({ id: 'evt_1', attempt: 1 });
      const repeat = await app().agent().post(webhookUrl(workflow)).send({ id: 'evt_1', attempt: 2 });
      await app().agent().post(webhookUrl(workflow)).send({ id: 'evt_2' });
      expect(repeat.headers['idempotent-replayed']).toBe('true');
      const executions = await waitForSettledExecutions(app(), workflow, 2);
      expect(executions.map((execution) => execution.get('context').body.id).sort()).toEqual(['evt_1', 'evt_2']);
    });

    it('runs the key again once its window has passed', async () => {
      const workflow = await createWebhookWorkflow(app(), {
        config: { idempotency: { source: 'header', key: 'Idempotency-Key', windowSeconds: 1 } },
      });
      await app().agent().post(webhookUrl(workflow)).set('Idempotency-Key', 'w').send({ n: 1 });
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      const later = await app().agent().post(webhookUrl(workflow)).set('Idempotency-Key', 'w').send({ n: 2 });
      expect(later.headers['idempotent-replayed']).toBeUndefined();
      const again = await app().agent().post(webhookUrl(workflow)).set('Idempotency-Key', 'w').send({ n: 3 });
      expect(again.headers['idempotent-replayed']).toBe('true');
      const executions = await waitForSettledExecutions(app(), workflow, 2);
      expect(executions.map((execution) => execution.get('context').body.n)).toEqual([1, 2]);
    });
  });

  describe('sync', () => {
    it("answers a repeat with the first run's recorded Response node answer, without running again", async () => {
      const workflow = await createWebhookWorkflow(app(), { sync: true, config: byHeader });
      await addPaymentExample(workflow);
      const first = await app().agent().post(webhookUrl(workflow)).set('Idempotency-Key', 'order-7').send({ status: 'paid', orderId: 'A7' });
      const repeat = await app()
        .agent()
        .post(webhookUrl(workflow))
        .set('Idempotency-Key', 'order-7')
        .send({ status: 'failed', orderId: 'B8' });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ received: true, orderId: 'A7' });
      expect(repeat.status).toBe(200);
      expect(repeat.body).toEqual({ received: true, orderId: 'A7' });
      expect(repeat.headers['x-order']).toBe('A7');
      expect(repeat.headers['idempotent-replayed']).toBe('true');
      expect(await findExecutions(app(), workflow)).toHaveLength(1);
    });

    it('runs concurrent repeats once and gives each the same answer', async () => {
      const workflow = await createWebhookWorkflow(app(), { sync: true, config: byHeader });
      await addPaymentExample(workflow);
      const answers = await Promise.all(
        Array.from({ length: 5 }, () =>
          app().agent().post(webhookUrl(workflow)).set('Idempotency-Key', 'same').send({ status: 'declined', orderId: 'C' }),
        ),
      );
      expect(answers.map((res) => [res.status, res.body])).toEqual(Array(5).fill([400, { error: 'payment declined' }]));
      expect(await findExecutions(app(), workflow)).toHaveLength(1);
    });
  });
});
