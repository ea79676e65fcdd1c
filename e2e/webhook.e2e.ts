import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';

import { createDefaultTriggerConfig } from '../src/common/defaults';
import { Api, type Answer, eventually, postText, postWebhook } from './helpers/api';
import { ARTIFACTS, ROOT, type RunningApp, startApp } from './helpers/app';
import { type Browser, openBrowser, signIn } from './helpers/browser';
import {
  addButtons,
  addNode,
  createWebhookWorkflow,
  enableWorkflow,
  formItemOf,
  menuItem,
  openCard,
  screenshotDrawer,
  screenshotFields,
  selectOption,
  submitDrawer,
  topDrawer,
} from './helpers/canvas';

const PORT = Number(process.env.E2E_PORT ?? 13210);
const APP_START_TIMEOUT_MS = 8 * 60 * 1000;
const CREDENTIALS: [string, string] = ['gateway', 's3cret'];
/** Pictures of the README, refreshed by E2E_UPDATE_SCREENSHOTS=1. */
const DOC_SCREENSHOTS = [
  'trigger-panel.png',
  'response-node-panel.png',
  'security-signature.png',
  'security-checks.png',
];
/** The optional checks a trigger panel saves as `false` when they were left off. */
const SECURITY_CHECKS_OFF = Object.fromEntries(
  ['signature', 'headerToken', 'jwt', 'ipAllowList', 'idempotency', 'rateLimit'].map((name) => [name, false]),
);

/** The key paths of a row list, in order. */
async function rowKeys(rows: Locator): Promise<string[]> {
  return rows.getByRole('textbox', { name: 'Key path' }).evaluateAll((inputs) =>
    inputs.map((input) => (input as HTMLInputElement).value),
  );
}

/**
 * Types into one of NocoBase's variable inputs (a contenteditable). It re-renders as it gets its first characters and
 * may move the caret back to the start ("no" + "cobase" came out as "cobaseno" once in CI): check the text, and type
 * it again over the whole content if it came out otherwise.
 */
async function typeVariableText(page: Page, input: Locator, text: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    await input.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(text, { delay: 60 });
    const typed = (await input.textContent())?.trim();
    if (typed === text || attempt === 3) {
      expect(typed).toBe(text);
      return;
    }
  }
}

function json(answer: Answer): unknown {
  return JSON.parse(answer.text);
}

/** A field by its exact label (`getByLabel` alone also finds e.g. the "Header token" switch for "Token"). */
function labelled(scope: Locator, label: string): Locator {
  return scope.getByLabel(label, { exact: true });
}

/** Picks `Trigger variables / <group> / <row>` in the cascader a variable button opened. */
async function pickTriggerVariable(page: Page, group: string, row: string): Promise<void> {
  for (const label of ['Trigger variables', group, row]) {
    await page.getByText(label, { exact: true }).last().click();
  }
}

describe('e2e: webhook trigger and Response node in the NocoBase 2.2.15 web UI', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let api: Api;
  let baseUrl: string;

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    // E2E_BASE_URL reuses a running app (while writing tests); by default a fresh one is started.
    const started = Date.now();
    app = process.env.E2E_BASE_URL
      ? { baseUrl: process.env.E2E_BASE_URL, stop: async () => undefined }
      : await startApp(PORT, APP_START_TIMEOUT_MS);
    baseUrl = app.baseUrl;
    process.stdout.write(`[e2e] app ready at ${baseUrl} after ${Math.round((Date.now() - started) / 1000)} s\n`);
    api = new Api(baseUrl);
    await api.signIn();
    browser = await openBrowser(baseUrl);
    page = browser.page;
    await signIn(page, baseUrl);
  }, APP_START_TIMEOUT_MS + 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  }, 60_000);

  afterEach(async () => {
    const state = expect.getState();
    if (page && state.currentTestName) {
      const name = state.currentTestName.replace(/[^a-z0-9]+/gi, '-').slice(-80);
      await page.screenshot({ path: path.join(ARTIFACTS, `last-${name}.png`) }).catch(() => undefined);
    }
    // NocoBase itself leaves some rejections unhandled (e.g. a form that fails validation); ours must not throw.
    expect((browser?.pageErrors ?? []).filter((stack) => stack.includes('plugin-workflow-webhook'))).toEqual([]);
  });

  it('async workflow: URL with copy, Basic auth, parsed query and body with aliases, custom response; real POSTs', async () => {
    const workflow = await createWebhookWorkflow(page, api, baseUrl, 'Payment callback', false);
    expect(workflow.sync).toBe(false);
    expect(workflow.config).toEqual(createDefaultTriggerConfig());

    const drawer = await openCard(page, `Trigger-${workflow.title}`);
    const url = await drawer.getByTestId('webhook-url').inputValue();
    expect(url).toBe(`${baseUrl}/api/webhook:trigger/${workflow.key}`);
    await drawer.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Webhook URL copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);

    // Security: both credentials are required once the switch is on.
    await drawer.getByRole('switch', { name: 'HTTP basic authentication' }).click();
    await drawer.getByRole('button', { name: 'Submit' }).click();
    await drawer.getByText('User name and password are required').waitFor();
    await drawer.getByLabel('User name').fill(CREDENTIALS[0]);
    await drawer.getByLabel('Password', { exact: true }).fill(CREDENTIALS[1]);
    const host = new URL(baseUrl).host;
    await drawer.getByText(`http://gateway:<password>@${host}/api/webhook:trigger/${workflow.key}`).waitFor();

    const headers = drawer.getByTestId('webhook-headers');
    await headers.getByRole('button', { name: 'Add request header' }).click();
    await headers.getByLabel('Header name').fill('X-Request-Id');
    await headers.getByLabel('Alias').fill('Request id');

    // Query: a URL without a query is refused inline and changes nothing; a full URL is parsed into paths.
    const query = drawer.getByTestId('webhook-query');
    const queryRows = drawer.getByTestId('webhook-query-rows');
    await query.getByLabel('Query example').fill('https://shop.example.com/callback');
    await query.getByRole('button', { name: 'Parse' }).click();
    await expect(drawer.getByTestId('webhook-query-error').textContent()).resolves.toBe('The example has no query string');
    expect(await rowKeys(queryRows)).toEqual([]);
    await query.getByLabel('Query example').fill(`${url}?query[0][a]=1&page=2`);
    await query.getByRole('button', { name: 'Parse' }).click();
    expect(await drawer.getByTestId('webhook-query-error').count()).toBe(0);
    expect(await rowKeys(queryRows)).toEqual(['query', 'query[0]', 'query[0].a', 'page']);
    await queryRows.getByLabel('Alias').nth(2).fill('A');

    // Body: bad JSON is refused inline; a re-parse keeps the alias of a surviving key and never reuses a _var.
    const body = drawer.getByTestId('webhook-body');
    const bodyRows = drawer.getByTestId('webhook-body-rows');
    await body.getByLabel('Body example').fill('{"order": ');
    await body.getByRole('button', { name: 'Parse' }).click();
    await expect(drawer.getByTestId('webhook-body-error').textContent()).resolves.toMatch(/^Invalid JSON: /);
    expect(await rowKeys(bodyRows)).toEqual([]);
    await body.getByLabel('Body example').fill('{"order": {"id": 1, "status": "paid"}}');
    await body.getByRole('button', { name: 'Parse' }).click();
    expect(await rowKeys(bodyRows)).toEqual(['order', 'order.id', 'order.status']);
    await bodyRows.getByLabel('Alias').nth(2).fill('Status');
    await body.getByLabel('Body example').fill('{"order": {"status": "paid", "total": 5}}');
    await body.getByRole('button', { name: 'Parse' }).click();
    expect(await rowKeys(bodyRows)).toEqual(['order', 'order.status', 'order.total']);
    await expect(bodyRows.getByLabel('Alias').nth(1).inputValue()).resolves.toBe('Status');

    // Response (async only): custom status, a header and a JSON body with request variables.
    const response = drawer.getByTestId('webhook-response');
    await response.getByText('Custom', { exact: true }).click();
    await response.getByLabel('Status code').fill('202');
    await response.getByRole('button', { name: 'Add response header' }).click();
    await response.getByLabel('Header name').fill('X-Handled-By');
    await typeVariableText(page, response.getByTestId('webhook-response-headers').locator('[contenteditable="true"]').first(), 'nocobase');
    await response.getByText('JSON', { exact: true }).click();
    const responseBody = response.locator('textarea');
    await responseBody.fill(
      '{"received": "{{$context.body.body_$2}}", "a": "{{$context.query.query_$2}}", "request": "{{$context.headers.x-request-id}}"}',
    );
    await responseBody.blur();

    await screenshotDrawer(page, 'trigger-panel.png', 2250);
    await submitDrawer(drawer);

    const saved = await api.workflow(workflow.id);
    expect(saved.config).toEqual({
      basicAuthentication: { username: 'gateway', password: 's3cret' },
      ...SECURITY_CHECKS_OFF,
      request: {
        headers: [{ key: 'X-Request-Id', alias: 'Request id' }],
        query: [
          { key: 'query', _var: 'query_$0' },
          { key: 'query[0]', _var: 'query_$1' },
          { key: 'query[0].a', _var: 'query_$2', alias: 'A' },
          { key: 'page', _var: 'query_$3' },
        ],
        body: [
          { key: 'order', _var: 'body_$0' },
          { key: 'order.status', _var: 'body_$2', alias: 'Status' },
          { key: 'order.total', _var: 'body_$3' },
        ],
      },
      response: {
        statusCode: 202,
        headers: [{ name: 'X-Handled-By', value: 'nocobase' }],
        body: {
          received: '{{$context.body.body_$2}}',
          a: '{{$context.query.query_$2}}',
          request: '{{$context.headers.x-request-id}}',
        },
      },
      requestLog: { enabled: true, limit: 100, captureBody: false },
    });

    await enableWorkflow(page);
    await eventually(() => api.workflow(workflow.id), (record) => record.enabled);

    // A third party calls the URL read from the panel.
    const accepted = await postWebhook(
      `${url}?query[0][a]=x1&page=3`,
      { order: { status: 'paid', total: 5 } },
      { credentials: CREDENTIALS, headers: { 'X-Request-Id': 'r-42' } },
    );
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get('x-handled-by')).toBe('nocobase');
    expect(json(accepted)).toEqual({ received: 'paid', a: 'x1', request: 'r-42' });

    const [execution] = await eventually(
      () => api.executions(workflow.id),
      (list) => list.length === 1 && list[0].status === 1,
    );
    expect(execution.context.body).toMatchObject({ body_$0: { status: 'paid', total: 5 }, body_$2: 'paid', body_$3: 5 });
    expect(execution.context.query).toMatchObject({ query_$2: 'x1', query_$3: '3' });
    expect(execution.context.headers['x-request-id']).toBe('r-42');
    expect(execution.context.headers.authorization).toBe('Basic ******');

    const anonymous = await postWebhook(url, { order: { status: 'paid' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
    const wrong = await postWebhook(url, {}, { credentials: ['gateway', 'guess'] });
    expect(wrong.status).toBe(401);
    expect(await api.executions(workflow.id)).toHaveLength(1);

    // Coming back later: the panel of an executed workflow is read-only, but the URL can still be copied.
    await page.reload();
    const readOnly = await openCard(page, `Trigger-${workflow.title}`);
    await readOnly.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Webhook URL copied').first().waitFor();
    expect(await readOnly.getByRole('switch', { name: 'HTTP basic authentication' }).isDisabled()).toBe(true);
    // The toast sits over the drawer's header on a narrow window and takes the Close click until it fades.
    await page.getByText('Webhook URL copied').first().waitFor({ state: 'hidden' });
    await readOnly.getByRole('button', { name: 'Close', exact: true }).click();
    await readOnly.waitFor({ state: 'hidden' });
  });

  it('sync workflow: Condition on a trigger variable picked in the UI, a Response node per branch; both answers', async () => {
    const workflow = await createWebhookWorkflow(page, api, baseUrl, 'Order check', true);
    expect(workflow.sync).toBe(true);

    const trigger = await openCard(page, `Trigger-${workflow.title}`);
    await trigger.getByTestId('webhook-sync-note').waitFor();
    expect(await trigger.getByText('Custom', { exact: true }).count()).toBe(0);
    const body = trigger.getByTestId('webhook-body');
    await body.getByLabel('Body example').fill('{"status": "paid", "id": 7}');
    await body.getByRole('button', { name: 'Parse' }).click();
    await trigger.getByTestId('webhook-body-rows').getByLabel('Alias').first().fill('Status');
    await submitDrawer(trigger);

    // Condition with two branches, then a Response node at the head of each branch.
    const [afterTrigger] = await addButtons(page);
    await addNode(page, afterTrigger.locator, 'condition');
    await page.getByText('Branch into "Yes" and "No"').click();
    await page.locator('.ant-modal-content:visible').getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('button', { name: 'Condition-Condition', exact: true }).waitFor();
    const branchButtons = async () => {
      const buttons = await addButtons(page);
      const branchY = buttons.filter((button) => button.y > buttons[0].y)[0].y;
      return buttons.filter((button) => Math.abs(button.y - branchY) < 2).sort((a, b) => a.x - b.x);
    };
    await addNode(page, (await branchButtons()).at(-1)!.locator, 'response'); // right: "Yes"
    await page.getByRole('button', { name: 'Response-Response', exact: true }).waitFor();
    await addNode(page, (await branchButtons())[0].locator, 'response'); // left: "No"
    await eventually(() => page.getByRole('button', { name: 'Response-Response', exact: true }).count(), (n) => n === 2);
    // End nodes: nothing can follow a Response node, so the two branches add no "+" of their own.
    expect(await addButtons(page)).toHaveLength(4);

    const condition = await openCard(page, 'Condition-Condition');
    await condition.getByText('Add condition', { exact: true }).click();
    await condition.getByLabel('variable-switcher').first().click();
    await pickTriggerVariable(page, 'Request body', 'Status');
    await condition.getByTestId('calculation-operand').last().locator('input').fill('paid');
    await submitDrawer(condition);

    const nodes = await api.nodes(workflow.id);
    const conditionNode = nodes.find((node) => node.type === 'condition')!;
    expect(conditionNode.config).toMatchObject({
      calculation: { group: { calculations: [{ calculator: 'equal', operands: ['{{$context.body.body_$0}}', 'paid'] }] } },
    });
    const responses = nodes.filter((node) => node.type === 'response');
    const yesNode = responses.find((node) => node.branchIndex === 1)!;
    const noNode = responses.find((node) => node.branchIndex === 0)!;

    const cards = page.getByRole('button', { name: 'Response-Response', exact: true });
    const boxes = await Promise.all([0, 1].map(async (index) => (await cards.nth(index).boundingBox())!.x));
    const yesIndex = boxes[0] > boxes[1] ? 0 : 1;

    // "Yes": 200 with a header, and the status inserted into the JSON body with the variable picker.
    const yes = await openCard(page, 'Response-Response', yesIndex);
    await yes.getByRole('button', { name: 'Add response header' }).click();
    await yes.getByPlaceholder('Header name').fill('X-Result');
    await typeVariableText(page, yes.locator('[aria-label="block-item-ArrayItems-workflows-Response headers"] [contenteditable="true"]'), 'accepted');
    // The JSON editor re-formats its text when it loses focus (to the variable button): type it formatted, so the
    // caret stays between the quotes where the variable goes.
    const yesBody = yes.locator('textarea');
    const template = JSON.stringify({ ok: true, status: '' }, null, 2);
    await yesBody.fill(template);
    await yesBody.blur();
    const caret = template.indexOf('""') + 1;
    await yesBody.evaluate((area, at) => (area as HTMLTextAreaElement).setSelectionRange(at, at), caret);
    await yes.locator('[aria-label="block-item-WorkflowVariableJSON-workflows-Response body"]').getByLabel('variable-button').click();
    await pickTriggerVariable(page, 'Request body', 'Status');
    await expect(yesBody.inputValue()).resolves.toBe(
      JSON.stringify({ ok: true, status: '{{$context.body.body_$0}}' }, null, 2),
    );
    await yesBody.blur();
    await screenshotDrawer(page, 'response-node-panel.png', 720);
    await submitDrawer(yes);

    // "No": 400 with the status echoed.
    const no = await openCard(page, 'Response-Response', 1 - yesIndex);
    await no.getByRole('spinbutton').fill('400');
    const noBody = no.locator('textarea');
    await noBody.fill('{"ok": false, "status": "{{$context.body.body_$0}}"}');
    await noBody.blur();
    await submitDrawer(no);

    const saved = await api.nodes(workflow.id);
    expect(saved.find((node) => node.id === yesNode.id)!.config).toEqual({
      statusCode: 200,
      headers: [{ name: 'X-Result', value: 'accepted' }],
      body: { ok: true, status: '{{$context.body.body_$0}}' },
    });
    expect(saved.find((node) => node.id === noNode.id)!.config).toMatchObject({
      statusCode: 400,
      body: { ok: false, status: '{{$context.body.body_$0}}' },
    });

    await enableWorkflow(page);
    await eventually(() => api.workflow(workflow.id), (record) => record.enabled);
    const url = `${baseUrl}/api/webhook:trigger/${workflow.key}`;

    const paid = await postWebhook(url, { status: 'paid', id: 7 });
    expect(paid.status).toBe(200);
    expect(paid.headers.get('x-result')).toBe('accepted');
    expect(json(paid)).toEqual({ ok: true, status: 'paid' });

    const refunded = await postWebhook(url, { status: 'refunded', id: 8 });
    expect(refunded.status).toBe(400);
    expect(json(refunded)).toEqual({ ok: false, status: 'refunded' });
  });

  it('async workflow: the Response node is not offered in the node menu', async () => {
    const workflow = await createWebhookWorkflow(page, api, baseUrl, 'Fire and forget', false);
    const [afterTrigger] = await addButtons(page);
    await afterTrigger.locator.click();
    const response = menuItem(page, 'response');
    await expect(response.getAttribute('aria-disabled')).resolves.toBe('true');
    await expect(menuItem(page, 'condition').getAttribute('aria-disabled')).resolves.toBe('false');
    await response.click({ force: true });
    await page.keyboard.press('Escape');
    expect((await api.nodes(workflow.id)).filter((node) => node.type === 'response')).toEqual([]);

    // The trigger panel of an async workflow has response settings instead of the sync note.
    await topDrawer(page).waitFor({ state: 'hidden' });
    const trigger = await openCard(page, `Trigger-${workflow.title}`);
    await trigger.getByTestId('webhook-response').waitFor();
    expect(await trigger.getByTestId('webhook-sync-note').count()).toBe(0);
  });

  it('security checks: each section switched on and filled in the panel is saved as entered; a bad range is not', async () => {
    const workflow = await createWebhookWorkflow(page, api, baseUrl, 'Guarded callback', false);
    const drawer = await openCard(page, `Trigger-${workflow.title}`);
    const switches = [
      'Signature verification',
      'Header token',
      'JWT verification',
      'IP allow-list',
      'Idempotency',
      'Rate limit',
    ].map((name) => drawer.getByRole('switch', { name }));
    for (const toggle of switches) {
      await expect(toggle.getAttribute('aria-checked')).resolves.toBe('false');
    }

    // Signature: the GitHub preset fills the scheme; two secrets, one of them an environment variable.
    await switches[0].click();
    const signature = drawer.getByTestId('webhook-signature');
    await selectOption(page, signature.getByRole('combobox', { name: 'Preset' }), 'GitHub');
    await expect(labelled(signature, 'Signature header').inputValue()).resolves.toBe('X-Hub-Signature-256');
    await expect(labelled(signature, 'Prefix').inputValue()).resolves.toBe('sha256=');
    await expect(labelled(signature, 'Signed payload').inputValue()).resolves.toBe('{body}');
    await signature.getByText('HMAC-SHA256', { exact: true }).waitFor();
    await signature.getByText('hex', { exact: true }).waitFor();
    expect(await labelled(signature, 'Tolerance (seconds)').count()).toBe(0); // GitHub signs no timestamp
    await labelled(signature, 'Secret').fill('{{$env.GITHUB_WEBHOOK_SECRET}}');
    await signature.getByRole('button', { name: 'Add secret' }).click();
    await labelled(signature, 'Secret').nth(1).fill('previous-secret');

    // Header token in a custom header: the hint shows the header as the sender sends it.
    await switches[1].click();
    const headerToken = drawer.getByTestId('webhook-header-token');
    await expect(labelled(headerToken, 'Header name').inputValue()).resolves.toBe('Authorization');
    await headerToken.getByText('Authorization: Bearer <token>', { exact: true }).waitFor();
    await labelled(headerToken, 'Header name').fill('X-Webhook-Token');
    await labelled(headerToken, 'Token').fill('tok-123');
    await headerToken.getByText('X-Webhook-Token: <token>', { exact: true }).waitFor();

    // JWT: HS256 (the default) and RS256, so both a secret and a PEM public key; an issuer, no audience.
    const publicKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString()
      .trim();
    await switches[2].click();
    const jwt = drawer.getByTestId('webhook-jwt');
    await selectOption(page, jwt.getByRole('combobox', { name: 'Allowed algorithms' }), 'RS256');
    await page.keyboard.press('Escape');
    await labelled(jwt, 'Secret (HS256, HS384, HS512)').fill('jwt-secret');
    await labelled(jwt, 'Public key (RS*, ES*), PEM').fill(publicKey);
    await labelled(jwt, 'Issuer (optional)').fill('https://issuer.example.com');
    await jwt.getByText('{{$context.auth.sub}}', { exact: false }).waitFor();

    // IP allow-list: a bad range is shown under the field, and Submit saves nothing.
    await switches[3].click();
    const ipAllowList = drawer.getByTestId('webhook-ip-allow-list');
    await labelled(ipAllowList, 'Allowed addresses').fill('10.0.0.0/8\n2001:db8::/32\n300.1.2.3/8');

    await switches[4].click();
    const idempotency = drawer.getByTestId('webhook-idempotency');
    await expect(labelled(idempotency, 'Header name').inputValue()).resolves.toBe('Idempotency-Key');
    await expect(labelled(idempotency, 'Window (seconds)').inputValue()).resolves.toBe('86400');
    await idempotency.getByText('Request body', { exact: true }).click();
    await expect(labelled(idempotency, 'Key path').inputValue()).resolves.toBe('');
    await labelled(idempotency, 'Key path').fill('event.id');
    await labelled(idempotency, 'Window (seconds)').fill('3600');

    await switches[5].click();
    const rateLimit = drawer.getByTestId('webhook-rate-limit');
    await labelled(rateLimit, 'Requests').fill('100');
    await labelled(rateLimit, 'Window (seconds)').fill('30');

    // Response of this async workflow: the JWT's claims are offered as trigger variables.
    const response = drawer.getByTestId('webhook-response');
    await response.getByText('Custom', { exact: true }).click();
    await response.locator('[contenteditable="true"]').last().click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await labelled(response, 'variable-button').last().click();
    await pickTriggerVariable(page, 'JWT claims', 'sub');

    await drawer.getByRole('button', { name: 'Submit' }).click();
    await drawer.getByText('"300.1.2.3/8" is not an IPv4 or IPv6 address or CIDR range').waitFor();
    await page.waitForTimeout(1000); // a save would have been sent by now
    expect(await drawer.isVisible()).toBe(true);
    expect((await api.workflow(workflow.id)).config).toEqual(createDefaultTriggerConfig());

    await labelled(ipAllowList, 'Allowed addresses').fill('10.0.0.0/8\n2001:db8::/32\n\n127.0.0.1, ::1\n');
    await expect(drawer.getByText('is not an IPv4 or IPv6 address').count()).resolves.toBe(0);

    await screenshotFields(page, 'security-signature.png', formItemOf(signature));
    await screenshotFields(page, 'security-checks.png', formItemOf(headerToken), formItemOf(rateLimit));
    await submitDrawer(drawer);

    const saved = await api.workflow(workflow.id);
    expect(saved.config).toEqual({
      basicAuthentication: false,
      signature: {
        preset: 'github',
        header: 'X-Hub-Signature-256',
        algorithm: 'sha256',
        encoding: 'hex',
        format: 'plain',
        prefix: 'sha256=',
        payload: '{body}',
        secrets: ['{{$env.GITHUB_WEBHOOK_SECRET}}', 'previous-secret'],
      },
      headerToken: { header: 'X-Webhook-Token', token: 'tok-123' },
      jwt: {
        header: 'Authorization',
        algorithms: ['HS256', 'RS256'],
        secret: 'jwt-secret',
        publicKey,
        issuer: 'https://issuer.example.com',
      },
      ipAllowList: { ranges: ['10.0.0.0/8', '2001:db8::/32', '127.0.0.1', '::1'] },
      idempotency: { source: 'body', key: 'event.id', windowSeconds: 3600 },
      rateLimit: { limit: 100, windowSeconds: 30 },
      request: {},
      response: { statusCode: 200, body: '{{$context.auth.sub}}' },
      requestLog: { enabled: true, limit: 100, captureBody: false },
    });

    // Opened again, the panel shows what was saved.
    const again = await openCard(page, `Trigger-${workflow.title}`);
    await again.getByTestId('webhook-signature').getByText('GitHub', { exact: true }).waitFor();
    await expect(labelled(again.getByTestId('webhook-ip-allow-list'), 'Allowed addresses').inputValue()).resolves.toBe(
      '10.0.0.0/8\n2001:db8::/32\n127.0.0.1\n::1',
    );
    await again.getByRole('button', { name: 'Cancel' }).click();
    await again.waitFor({ state: 'hidden' });
  });

  it('body types: text, form and XML examples parsed in the panel, accepted types and raw body saved; an XML POST', async () => {
    const workflow = await createWebhookWorkflow(page, api, baseUrl, 'XML order feed', false);
    const drawer = await openCard(page, `Trigger-${workflow.title}`);
    const body = drawer.getByTestId('webhook-body');
    const bodyRows = drawer.getByTestId('webhook-body-rows');
    const example = body.getByLabel('Body example');
    const parse = () => body.getByRole('button', { name: 'Parse' }).click();
    const note = drawer.getByTestId('webhook-body-note');

    // The type is detected from the text: plain text has no paths (and says so), a form is read as the server reads it.
    await example.fill('Payment received, thanks');
    await parse();
    await note.getByText('A text body has no paths', { exact: false }).waitFor();
    expect(await rowKeys(bodyRows)).toEqual([]);
    await example.fill('From=%2B1555&Body=hi&a[b]=1');
    await parse();
    await note.getByText('Parsed as Form (x-www-form-urlencoded)', { exact: true }).waitFor();
    expect(await rowKeys(bodyRows)).toEqual(['From', 'Body', 'a', 'a.b']);

    // Malformed XML is refused inline and changes nothing; well-formed XML gives attribute paths too.
    await example.fill('<order id="7"><status>paid</status>');
    await parse();
    await expect(drawer.getByTestId('webhook-body-error').textContent()).resolves.toMatch(/^Invalid XML: /);
    expect(await rowKeys(bodyRows)).toEqual(['From', 'Body', 'a', 'a.b']);
    await example.fill('<order id="7"><status>paid</status></order>');
    await parse();
    await note.getByText('Parsed as XML', { exact: true }).waitFor();
    expect(await drawer.getByTestId('webhook-body-error').count()).toBe(0);
    expect(await rowKeys(bodyRows)).toEqual(['order', 'order.status', 'order.@_id']);
    await bodyRows.getByLabel('Alias').nth(1).fill('Status');

    // The type chosen next to Parse wins over detection: read as text, the example leaves the rows alone.
    await selectOption(page, body.getByRole('combobox', { name: 'Example type' }), 'Text');
    await parse();
    await note.getByText('A text body has no paths', { exact: false }).waitFor();
    expect(await rowKeys(bodyRows)).toEqual(['order', 'order.status', 'order.@_id']);

    const contentTypes = drawer.getByRole('combobox', { name: 'Accepted content types' });
    for (const type of ['XML', 'JSON']) {
      await selectOption(page, contentTypes, type);
      await page.keyboard.press('Escape');
    }
    await drawer.getByRole('switch', { name: 'Keep the raw body as a variable' }).click();

    // The raw body is offered as a trigger variable once it is kept: the response echoes it.
    const response = drawer.getByTestId('webhook-response');
    await response.getByText('Custom', { exact: true }).click();
    await response.locator('[contenteditable="true"]').last().click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await labelled(response, 'variable-button').last().click();
    for (const label of ['Trigger variables', 'Raw body']) {
      await page.getByText(label, { exact: true }).last().click();
    }

    await screenshotFields(page, 'body-types.png', formItemOf(body), drawer.getByTestId('webhook-raw-body'));
    await submitDrawer(drawer);

    const saved = await api.workflow(workflow.id);
    expect(saved.config.request).toEqual({
      body: [
        { key: 'order', _var: 'body_$4' },
        { key: 'order.status', _var: 'body_$5', alias: 'Status' },
        { key: 'order.@_id', _var: 'body_$6' },
      ],
      contentTypes: ['json', 'xml'],
      rawBody: true,
    });
    expect(saved.config.response).toEqual({ statusCode: 200, body: '{{$context.rawBody}}' });

    await enableWorkflow(page);
    await eventually(() => api.workflow(workflow.id), (record) => record.enabled);
    const url = `${baseUrl}/api/webhook:trigger/${workflow.key}`;

    const xml = '<?xml version="1.0"?>\n<order id="42"><status>shipped</status></order>';
    const accepted = await postText(url, xml, 'application/xml');
    expect(accepted.status).toBe(200);
    expect(accepted.text).toBe(xml);
    const refused = await postText(url, 'shipped', 'text/plain');
    expect(refused.status).toBe(415);
    expect(refused.headers.get('accept-post')).toMatch(/application\/xml/);

    const [execution] = await eventually(
      () => api.executions(workflow.id),
      (list) => list.length === 1 && list[0].status === 1,
    );
    expect(execution.context.body).toMatchObject({
      body_$4: { status: 'shipped', '@_id': '42' },
      body_$5: 'shipped',
      body_$6: '42',
    });
    expect(execution.context.rawBody).toBe(xml);
  });

  it('listen for a test request: a request sent meanwhile is captured, shown, and fills the query and body rows', async () => {
    const workflow = await createWebhookWorkflow(page, api, baseUrl, 'Listened callback', false);
    const drawer = await openCard(page, `Trigger-${workflow.title}`);
    const url = await drawer.getByTestId('webhook-url').inputValue();
    const listener = drawer.getByTestId('webhook-test-request');
    const listen = listener.getByRole('button', { name: 'Listen for test request' });

    // A countdown and a Stop button while listening; Stop ends it.
    await listen.click();
    const countdown = listener.getByTestId('webhook-test-countdown');
    await expect(countdown.textContent()).resolves.toMatch(/^Listening: [12]:\d\d left$/);
    await listener.getByRole('button', { name: 'Stop' }).click();
    await listen.waitFor();
    expect(await countdown.count()).toBe(0);

    // The workflow is off, yet the request is captured (and answered) instead of getting 404.
    await listen.click();
    await countdown.waitFor();
    const answer = await postWebhook(
      `${url}?order[id]=7&page=2`,
      { event: 'paid', data: { amount: 5 } },
      { headers: { Authorization: 'Bearer secret-token', 'X-Request-Id': 'r-7' } },
    );
    expect(answer.status).toBe(200);
    expect(json(answer)).toEqual({ captured: true, message: expect.stringMatching(/the workflow did not run/) });

    const capture = drawer.getByTestId('webhook-test-capture');
    await capture.waitFor({ timeout: 10_000 });
    await listen.waitFor();
    const shown = (await capture.textContent()) ?? '';
    expect(shown).toContain('POST');
    expect(shown).toContain('application/json');
    expect(shown).toContain('"authorization": "Bearer ******"');
    expect(shown).toContain('"x-request-id": "r-7"');
    expect(shown).not.toContain('secret-token');

    await capture.getByRole('button', { name: 'Fill query and body rows' }).click();
    await expect(drawer.getByTestId('webhook-test-fill-note').textContent()).resolves.toMatch(/^Rows filled/);
    expect(await rowKeys(drawer.getByTestId('webhook-query-rows'))).toEqual(['order', 'order.id', 'page']);
    expect(await rowKeys(drawer.getByTestId('webhook-body-rows'))).toEqual(['event', 'data', 'data.amount']);
    await submitDrawer(drawer);

    const saved = await api.workflow(workflow.id);
    expect(saved.config.request).toMatchObject({
      query: [
        { key: 'order', _var: 'query_$0' },
        { key: 'order.id', _var: 'query_$1' },
        { key: 'page', _var: 'query_$2' },
      ],
      body: [
        { key: 'event', _var: 'body_$0' },
        { key: 'data', _var: 'body_$1' },
        { key: 'data.amount', _var: 'body_$2' },
      ],
    });
    expect(await api.executions(workflow.id)).toEqual([]);
  });

  afterAll(() => {
    // Refresh the README pictures only when asked: a normal run must not touch committed files.
    if (process.env.E2E_UPDATE_SCREENSHOTS === '1') {
      const docs = path.join(ROOT, 'docs', 'screenshots');
      fs.mkdirSync(docs, { recursive: true });
      for (const name of DOC_SCREENSHOTS) {
        fs.copyFileSync(path.join(ARTIFACTS, name), path.join(docs, name));
      }
    }
  });
});
