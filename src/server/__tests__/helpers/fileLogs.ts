import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { MockServer } from '@nocobase/test';

import { createWebhookApp } from './app';

export interface FileLoggedApp {
  app(): MockServer;
  /** The text of every log file written so far whose name starts with `prefix` (all of them by default). */
  readLogs(prefix?: string): string;
}

/**
 * A fresh app per test whose NocoBase loggers write to files in a folder of their own, at `level`, in JSON lines.
 * Registers the Jest hooks that create and remove it.
 */
export function useFileLoggedApp(level: string): FileLoggedApp {
  const saved = { ...process.env };
  let folder: string;
  let app: MockServer;

  beforeEach(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'webhook-logs-'));
    Object.assign(process.env, { LOGGER_LEVEL: level, LOGGER_TRANSPORT: 'dailyRotateFile', LOGGER_FORMAT: 'json', STORAGE_PATH: folder });
    app = await createWebhookApp();
  });

  afterEach(async () => {
    await app?.destroy();
    process.env = { ...saved };
    fs.rmSync(folder, { recursive: true, force: true });
  });

  const read = (dir: string, prefix: string): string[] =>
    (fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        return read(full, prefix);
      }
      return entry.name.startsWith(prefix) ? [fs.readFileSync(full, 'utf8')] : [];
    });

  return {
    app: () => app,
    readLogs: (prefix = '') => read(path.join(folder, 'logs'), prefix).join('\n'),
  };
}
