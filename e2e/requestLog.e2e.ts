import fs from 'node:fs';
import path from 'node:path';
import type { Locator } from 'playwright-core';

import type { RequestLogEntry } from '../src/common/requestLog';
import { type Api, eventually, postWebhook } from './helpers/api';
import { ARTIFACTS, ROOT } from './helpers/app';
import {
  createWebhookWorkflow,
  enableWorkflow,
  formItemOf,
  openCanvas,
  openCard,
  screenshotFields,
  submitDrawer,
} from './helpers/canvas';
import { useE2eSession } from './helpers/session';

/** The picture of the README, refreshed by E2E_UPDATE_SCREENSHOTS=1. */
const DOC_SCREENSHOT = 'request-log.png';

function logOf(api: Api, workflowKey: string): Promise<RequestLogEntry[]> {
  return api.call<RequestLogEntry[]>('workflowWebhookRequestLogs:list', { filter: { workflowKey } });
}

/** The status shown in each row of the table, top to bottom (the status tag is the first tag of a row). */
function shownStatuses(table: Locator): Promise<string[]> {
  // One snapshot of the rows: the table re-renders while it reloads.
  return table
    .locator('tbody tr.ant-table-row')
    .evaluateAll((rows) => rows.map((row) => row.querySelector('.ant-tag')?.textContent?.trim() ?? ''));
}

/** Waits until the table shows these statuses (it loads asynchronously after each filter change). */
async function expectStatuses(table: Locator, expected: string[]): Promise<void> {
  await eventually(
    () => shownStatuses(table),
    (statuses) => JSON.stringify(statuses) === JSON.stringify(expected),
    10_000,
  );
}

describe('e2e: request log in the trigger panel', () => {
  const session = useE2eSession();

  it('settings are saved; recent requests are listed, pruned, filtered by status class and refreshed', async () => {
    const { page, api, baseUrl } = session();
    const workflow = await createWebhookWorkflow(page, api, baseUrl, 'Logged callback', false);
    expect(workflow.config.requestLog).toEqual({ enabled: true, limit: 100, captureBody: false });

    // Settings: keep the last 3 requests, with their bodies.
    const drawer = await openCard(page, `Trigger-${workflow.title}`);
    const log = drawer.getByTestId('webhook-request-log');
    await expect(log.getByRole('switch', { name: 'Log requests' }).getAttribute('aria-checked')).resolves.toBe('true');
    await expect(log.getByLabel('Requests kept').inputValue()).resolves.toBe('100');
    await log.getByText('No requests logged yet').waitFor();
    await log.getByLabel('Requests kept').fill('3');
    await log.getByRole('switch', { name: 'Store request bodies' }).click();
    await log.getByText(/Bodies are stored as received, up to 64 KB each/).waitFor();
    await submitDrawer(drawer);
    expect((await api.workflow(workflow.id)).config.requestLog).toEqual({ enabled: true, limit: 3, captureBody: true });

    await enableWorkflow(page);
    await eventually(() => api.workflow(workflow.id), (record) => record.enabled);
    const url = `${baseUrl}/api/webhook:trigger/${workflow.key}`;
    expect((await postWebhook(url, { n: 1 })).status).toBe(200);
    expect((await fetch(url)).status).toBe(405);
    expect((await postWebhook(url, { n: 0 }, { headers: { 'Content-Encoding': 'compress' } })).status).toBe(415);
    expect((await postWebhook(url, { n: 2 })).status).toBe(200);
    // Only the last 3 are kept: the first 200 is gone.
    await eventually(
      () => logOf(api, workflow.key),
      (rows) => rows.length === 3 && rows[0].body === '{"n":2}',
    );

    // The workflow has run: once the canvas is loaded again its panel is read-only, but the log still filters and
    // refreshes.
    await openCanvas(page, baseUrl, workflow);
    const panel = await openCard(page, `Trigger-${workflow.title}`);
    expect(await panel.getByRole('switch', { name: 'Log requests' }).isDisabled()).toBe(true);
    const table = panel.getByTestId('webhook-request-log-table');
    await expectStatuses(table, ['200', '415', '405']);

    await table.getByText('4xx', { exact: true }).click();
    await expectStatuses(table, ['415', '405']);
    await table.getByText('Method not allowed', { exact: true }).waitFor();
    await table.getByText('Request body', { exact: true }).waitFor();
    await table.getByText(/Method GET is not allowed/).waitFor();
    await table.getByText('5xx', { exact: true }).click();
    await table.getByText('No requests logged yet').waitFor();

    await table.getByText('2xx', { exact: true }).click();
    await expectStatuses(table, ['200']);
    const link = table.locator('tbody tr.ant-table-row a[href*="/executions/"]');
    const [execution] = await eventually(
      () => api.executions(workflow.id),
      (list) => list.length === 2,
    );
    expect(await link.getAttribute('href')).toBe(`/admin/settings/workflow/executions/${execution.id}`);
    await table.locator('tbody tr.ant-table-row .ant-table-row-expand-icon').first().click();
    await table.getByText('{"n":2}', { exact: true }).waitFor();

    // A new request shows up on Refresh.
    await table.getByText('All', { exact: true }).click();
    await expectStatuses(table, ['200', '415', '405']);
    expect((await postWebhook(url, { n: 3 })).status).toBe(200);
    await eventually(
      () => logOf(api, workflow.key),
      (rows) => rows[0]?.body === '{"n":3}',
    );
    await table.getByRole('button', { name: 'Refresh' }).click();
    await expectStatuses(table, ['200', '200', '415']);
    await screenshotFields(page, DOC_SCREENSHOT, formItemOf(panel.getByTestId('webhook-request-log')));

    // The execution link opens the workflow plugin's execution page.
    const executionPage = await page.context().newPage();
    try {
      await executionPage.goto(`${baseUrl}/admin/settings/workflow/executions/${execution.id}`);
      await executionPage.getByText(workflow.title).first().waitFor();
    } finally {
      await executionPage.close();
    }
  });

  afterAll(() => {
    if (process.env.E2E_UPDATE_SCREENSHOTS === '1') {
      const docs = path.join(ROOT, 'docs', 'screenshots');
      fs.mkdirSync(docs, { recursive: true });
      fs.copyFileSync(path.join(ARTIFACTS, DOC_SCREENSHOT), path.join(docs, DOC_SCREENSHOT));
    }
  });
});
