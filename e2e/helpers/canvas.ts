import path from 'node:path';
import type { Locator, Page } from 'playwright-core';

import type { Api, WorkflowRecord } from './api';
import { ARTIFACTS } from './app';

/** The drawer on top (NocoBase stacks drawers). */
export function topDrawer(page: Page): Locator {
  return page.locator('.ant-drawer-content-wrapper:visible').last();
}

/** Creates a "Webhook event" workflow in the create dialog and opens its canvas. */
export async function createWebhookWorkflow(page: Page, api: Api, baseUrl: string, title: string, sync: boolean) {
  await page.goto(`${baseUrl}/admin/settings/workflow`);
  await page.getByRole('button', { name: /Add new/i }).click();
  const drawer = topDrawer(page);
  await drawer.locator('[aria-label="block-item-CollectionField-workflows-Name"] input').fill(title);
  await drawer.locator('[aria-label^="block-item"]:has-text("Trigger type") .ant-select').first().click();
  await page.locator('.ant-select-dropdown:visible').getByText('Webhook event', { exact: true }).click();
  await drawer.getByText('After creating the workflow, its trigger shows the URL to call').waitFor();
  // Both modes are offered: the trigger leaves the choice to the workflow.
  const mode = drawer.getByText(sync ? 'Synchronously' : 'Asynchronously', { exact: true });
  await mode.click();
  await drawer.getByRole('button', { name: /Submit/ }).click();
  await drawer.waitFor({ state: 'hidden' });
  const workflow = await api.latestWorkflow(title);
  await openCanvas(page, baseUrl, workflow);
  return workflow;
}

export async function openCanvas(page: Page, baseUrl: string, workflow: WorkflowRecord): Promise<void> {
  await page.goto(`${baseUrl}/admin/settings/workflow/workflows/${workflow.id}`);
  await page.getByRole('button', { name: `Trigger-${workflow.title}`, exact: true }).waitFor();
}

/** Opens a node's (or the trigger's) drawer by clicking its card, away from the editable title. */
export async function openCard(page: Page, label: string, index = 0): Promise<Locator> {
  await page.getByRole('button', { name: label, exact: true }).nth(index).click({ position: { x: 6, y: 6 } });
  const drawer = topDrawer(page);
  await drawer.waitFor();
  return drawer;
}

export async function submitDrawer(drawer: Locator): Promise<void> {
  await drawer.getByRole('button', { name: 'Submit' }).click();
  await drawer.waitFor({ state: 'hidden' });
}

/** The "+" buttons of the canvas with their positions (branch buttons are told apart by x). */
export async function addButtons(page: Page) {
  const buttons = page.getByRole('button', { name: /^add-button/ });
  const result: { locator: Locator; x: number; y: number }[] = [];
  for (let index = 0; index < (await buttons.count()); index += 1) {
    const box = await buttons.nth(index).boundingBox();
    if (box) {
      result.push({ locator: buttons.nth(index), x: box.x, y: box.y });
    }
  }
  return result;
}

/** An entry of the "Add node" menu, found by the node type it adds (its aria-label). */
export function menuItem(page: Page, type: string): Locator {
  return page.locator(`li.ant-menu-item[aria-label="${type}"]:visible`);
}

export async function addNode(page: Page, button: Locator, type: string): Promise<void> {
  await button.click();
  await menuItem(page, type).click();
}

/** The workflow's On/Off switch in the canvas header. */
export async function enableWorkflow(page: Page): Promise<void> {
  const toggle = page.locator('.ant-switch').filter({ hasText: /Off|On/ }).first();
  await toggle.click();
  await page.locator('.ant-switch-checked').filter({ hasText: 'On' }).first().waitFor();
}

/** Screenshot of the drawer on top, with a window tall enough to show the whole panel. */
export async function screenshotDrawer(page: Page, name: string, height = 2000): Promise<string> {
  const file = path.join(ARTIFACTS, name);
  const viewport = page.viewportSize() ?? { width: 1440, height: 900 };
  await page.setViewportSize({ width: viewport.width, height });
  try {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.waitForTimeout(300); // let the drawer re-layout before the picture
    await topDrawer(page).screenshot({ path: file });
  } finally {
    await page.setViewportSize(viewport);
  }
  return file;
}

/** The closest ancestor `div` with a class, e.g. the antd Select around its combobox. */
function ancestorWithClass(locator: Locator, className: string): Locator {
  const hasClass = `contains(concat(" ", normalize-space(@class), " "), " ${className} ")`;
  return locator.locator(`xpath=ancestor::div[${hasClass}][1]`);
}

/** Picks an option of an antd Select (single or multiple), found by the combobox inside it. */
export async function selectOption(page: Page, combobox: Locator, label: string): Promise<void> {
  await ancestorWithClass(combobox, 'ant-select').click();
  await page.locator('.ant-select-dropdown:visible').getByTitle(label, { exact: true }).click();
}

/** The form item (label, field, description) of a field of a drawer. */
export function formItemOf(field: Locator): Locator {
  return ancestorWithClass(field, 'ant-formily-item');
}

/** Screenshot of the drawer's width from the top of `first` to the bottom of `last`, the whole panel laid out. */
export async function screenshotFields(
  page: Page,
  name: string,
  first: Locator,
  last: Locator = first,
): Promise<string> {
  const file = path.join(ARTIFACTS, name);
  const viewport = page.viewportSize() ?? { width: 1440, height: 900 };
  await page.setViewportSize({ width: viewport.width, height: 4000 });
  try {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.waitForTimeout(300); // let the drawer re-layout before the picture
    const [drawer, top, bottom] = await Promise.all([topDrawer(page), first, last].map((item) => item.boundingBox()));
    if (!drawer || !top || !bottom) {
      throw new Error(`${name}: the fields to picture are not visible`);
    }
    const margin = 12;
    const y = top.y - margin;
    await page.screenshot({
      path: file,
      clip: { x: drawer.x, y, width: drawer.width, height: bottom.y + bottom.height + margin - y },
    });
  } finally {
    await page.setViewportSize(viewport);
  }
  return file;
}
