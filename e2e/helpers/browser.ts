import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';

import { ROOT_ACCOUNT } from './api';

/** Debian's Chromium; playwright-core never downloads a browser. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  page: Page;
  context: BrowserContext;
  /** Stacks of the page's uncaught errors so far: one thrown by this plugin fails the test that caused it. */
  pageErrors: string[];
  close(): Promise<void>;
}

export async function openBrowser(baseUrl: string): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'webhook-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1440, height: 900 },
    locale: 'en-US',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(`${error.message}\n${error.stack ?? ''}`));
  page.setDefaultTimeout(30_000);
  return {
    page,
    context,
    pageErrors,
    close: async () => {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Signs in through the form at /signin, as an admin does. */
export async function signIn(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/signin`);
  await page.getByPlaceholder(/Username|Email/i).fill(ROOT_ACCOUNT.account);
  await page.getByPlaceholder(/Password/i).fill(ROOT_ACCOUNT.password);
  await page.getByRole('button', { name: /Sign in/i }).click();
  await page.waitForURL(/\/admin/, { timeout: 60_000 });
}
