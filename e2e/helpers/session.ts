import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

import { Api } from './api';
import { ARTIFACTS, type RunningApp, startApp } from './app';
import { type Browser, openBrowser, signIn } from './browser';

const PORT = Number(process.env.E2E_PORT ?? 13210);
const APP_START_TIMEOUT_MS = 8 * 60 * 1000;

export interface E2eSession {
  baseUrl: string;
  api: Api;
  browser: Browser;
  page: Page;
}

/**
 * For the calling test file: a fresh app (or the running one at E2E_BASE_URL), the API signed in as root, and a
 * Chromium page signed in through the form. After each test, a picture of the page lands in e2e/.artifacts and
 * an uncaught error of this plugin's client fails the test.
 */
export function useE2eSession(): () => E2eSession {
  let app: RunningApp | undefined;
  let session: E2eSession | undefined;

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const started = Date.now();
    app = process.env.E2E_BASE_URL
      ? { baseUrl: process.env.E2E_BASE_URL, stop: async () => undefined }
      : await startApp(PORT, APP_START_TIMEOUT_MS);
    process.stdout.write(`[e2e] app ready at ${app.baseUrl} after ${Math.round((Date.now() - started) / 1000)} s\n`);
    const api = new Api(app.baseUrl);
    await api.signIn();
    const browser = await openBrowser(app.baseUrl);
    await signIn(browser.page, app.baseUrl);
    session = { baseUrl: app.baseUrl, api, browser, page: browser.page };
  }, APP_START_TIMEOUT_MS + 60_000);

  afterAll(async () => {
    await session?.browser.close();
    await app?.stop();
  }, 60_000);

  afterEach(async () => {
    const state = expect.getState();
    if (session && state.currentTestName) {
      const name = state.currentTestName.replace(/[^a-z0-9]+/gi, '-').slice(-80);
      await session.page.screenshot({ path: path.join(ARTIFACTS, `last-${name}.png`) }).catch(() => undefined);
    }
    // NocoBase itself leaves some rejections unhandled (e.g. a form that fails validation); ours must not throw.
    expect((session?.browser.pageErrors ?? []).filter((stack) => stack.includes('plugin-workflow-webhook'))).toEqual([]);
  });

  return () => {
    if (!session) {
      throw new Error('useE2eSession: the app is not up (see beforeAll)');
    }
    return session;
  };
}
