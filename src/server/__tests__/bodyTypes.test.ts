import { createWebhookWorkflow, findExecutions, useWebhookApp, waitForSettledExecutions, webhookUrl } from './helpers/app';

async function onlyExecutionContext(app: ReturnType<ReturnType<typeof useWebhookApp>>, workflow: { key: string }) {
  const [execution] = await waitForSettledExecutions(app, workflow, 1);
  return execution.get('context');
}

describe('server: body types', () => {
  const app = useWebhookApp();

  it('parses a Twilio-style form body (nested keys with qs) and maps its rows', async () => {
    const workflow = await createWebhookWorkflow(app(), { config: { request: { body: [{ key: 'Body', _var: 'body_$0' }] } } });
    const res = await app()
      .agent()
      .post(webhookUrl(workflow))
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('From=%2B15551234567&Body=hello+there&Media[0][url]=https%3A%2F%2Fx');
    expect(res.status).toBe(200);
    const context = await onlyExecutionContext(app(), workflow);
    expect(context.body).toMatchObject({ From: '+15551234567', Body: 'hello there', Media: [{ url: 'https://x' }], body_$0: 'hello there' });
  });

  it('keeps a text/plain body as a string', async () => {
    const workflow = await createWebhookWorkflow(app());
    await app().agent().post(webhookUrl(workflow)).set('Content-Type', 'text/plain').send('status=ok\nline two');
    expect((await onlyExecutionContext(app(), workflow)).body).toBe('status=ok\nline two');
  });

  it('parses an XML body with attributes, and maps a path into it', async () => {
    const workflow = await createWebhookWorkflow(app(), { config: { request: { body: [{ key: 'order.@_id', _var: 'body_$0' }] } } });
    await app()
      .agent()
      .post(webhookUrl(workflow))
      .set('Content-Type', 'application/xml')
      .send('<order id="A-1"><status>paid</status><amount currency="EUR">10.50</amount></order>');
    const context = await onlyExecutionContext(app(), workflow);
    expect(context.body).toMatchObject({
      order: { '@_id': 'A-1', status: 'paid', amount: { '#text': '10.50', '@_currency': 'EUR' } },
      body_$0: 'A-1',
    });
  });

  it('reads multipart text fields, and refuses a file part with 415', async () => {
    const workflow = await createWebhookWorkflow(app());
    const fields = await app().agent().post(webhookUrl(workflow)).field('event', 'push').field('ref', 'main');
    expect(fields.status).toBe(200);
    expect((await onlyExecutionContext(app(), workflow)).body).toEqual({ event: 'push', ref: 'main' });
    const file = await app().agent().post(webhookUrl(workflow)).field('event', 'push').attach('log', Buffer.from('x'), 'log.txt');
    expect(file.status).toBe(415);
    expect(file.body.errors[0].message).toMatch(/File uploads are not accepted/);
    expect(await findExecutions(app(), workflow)).toHaveLength(1);
  });

  describe('accepted content types', () => {
    it('answers 415 naming the accepted types, and lets a request without a body through', async () => {
      const workflow = await createWebhookWorkflow(app(), { config: { request: { contentTypes: ['json', 'form'] } } });
      const xml = await app().agent().post(webhookUrl(workflow)).set('Content-Type', 'application/xml').send('<a/>');
      expect(xml.status).toBe(415);
      expect(xml.body.errors[0].message).toBe('This webhook accepts application/json, application/x-www-form-urlencoded bodies only');
      expect(xml.headers['accept-post']).toBe('application/json, application/x-www-form-urlencoded');
      expect((await app().agent().post(webhookUrl(workflow)).send({ a: 1 })).status).toBe(200);
      expect((await app().agent().post(webhookUrl(workflow))).status).toBe(200);
      expect(await waitForSettledExecutions(app(), workflow, 2)).toHaveLength(2);
    });

    it('accepts every type when none is chosen (backward compatible)', async () => {
      const workflow = await createWebhookWorkflow(app());
      expect((await app().agent().post(webhookUrl(workflow)).set('Content-Type', 'application/octet-stream').send('raw')).status).toBe(200);
      expect((await onlyExecutionContext(app(), workflow)).body).toEqual({});
    });
  });

  it('keeps the exact text received in $context.rawBody only when asked', async () => {
    const raw = '{ "b": 1,  "a": "caf\\u00e9" }';
    const withRaw = await createWebhookWorkflow(app(), { config: { request: { rawBody: true } } });
    const without = await createWebhookWorkflow(app());
    for (const workflow of [withRaw, without]) {
      await app().agent().post(webhookUrl(workflow)).set('Content-Type', 'application/json').send(raw);
    }
    expect((await onlyExecutionContext(app(), withRaw)).rawBody).toBe(raw);
    expect((await onlyExecutionContext(app(), without)).rawBody).toBeUndefined();
  });

  describe('hostile XML', () => {
    it('does not expand a "billion laughs" document', async () => {
      const workflow = await createWebhookWorkflow(app());
      const entities = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
      const doc = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">${entities}]><lolz>&lol9;</lolz>`;
      const res = await app().agent().post(webhookUrl(workflow)).set('Content-Type', 'application/xml').send(doc);
      expect(res.status).toBe(200);
      expect((await onlyExecutionContext(app(), workflow)).body).toMatchObject({ lolz: '&lol9;' });
    });

    it.each([
      ['an external entity', '<?xml version="1.0"?><!DOCTYPE f [<!ENTITY x SYSTEM "file:///etc/passwd">]><f>&x;</f>', /External entities/],
      ['nesting 1,000 levels deep', `${'<a>'.repeat(1000)}x${'</a>'.repeat(1000)}`, /nested|depth|exceed/i],
      ['malformed XML', '<a><b></a>', /not well-formed XML/],
    ])('answers %s with 400 and creates nothing', async (_name, doc, message) => {
      const workflow = await createWebhookWorkflow(app());
      const res = await app().agent().post(webhookUrl(workflow)).set('Content-Type', 'application/xml').send(doc);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].message).toMatch(message);
      expect(await findExecutions(app(), workflow)).toHaveLength(0);
    });

    it('handles a 5 MB attribute within the body limit', async () => {
      const workflow = await createWebhookWorkflow(app());
      const res = await app()
        .agent()
        .post(webhookUrl(workflow))
        .set('Content-Type', 'application/xml')
        .send(`<a big="${'x'.repeat(5 * 1024 * 1024)}"/>`);
      expect(res.status).toBe(200);
      expect((await onlyExecutionContext(app(), workflow)).body.a['@_big']).toHaveLength(5 * 1024 * 1024);
    });
  });
});
