import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Model } from '@nocobase/database';
import type { MockServer } from '@nocobase/test';
import { EXECUTION_STATUS } from '@nocobase/plugin-workflow';

import { createWebhookApp, waitFor } from './helpers/app';

interface ChildReport {
  key: string;
  accepted: number;
  journalMode?: string;
}

function runChild(
  storage: string,
  stopMode: 'kill' | 'graceful',
  journalMode?: string,
): Promise<{ report: ChildReport; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'helpers', 'acceptThenStop.ts')],
      {
        // WORKER_MODE '!': a web node that accepts requests but leaves the workflow queue to other nodes, so that no
        // execution has started when the process goes away (an execution killed mid-run is not re-run by the engine).
        env: {
          ...process.env,
          ...databaseEnv(storage),
          ...(journalMode ? { SQLITE_JOURNAL_MODE: journalMode } : {}),
          STOP_MODE: stopMode,
          WORKER_MODE: '!',
          TS_NODE_PROJECT: 'tsconfig.json',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      const line = stdout.split('\n').find((text) => text.startsWith('{"key"'));
      if (!line) {
        reject(new Error(`child reported nothing:\n${stderr.slice(-2000)}`));
        return;
      }
      resolve({ report: JSON.parse(line) as ChildReport, signal });
    });
  });
}

const sqlite = process.env.DB_DIALECT === 'sqlite';

/** The child and the restarted app must share one database: a SQLite file, or the run's own server database. */
function databaseEnv(storage: string): Record<string, string> {
  return sqlite ? { DB_DIALECT: 'sqlite', DB_STORAGE: storage } : {};
}

describe('server: acknowledged async deliveries survive the process', () => {
  let folder: string;
  let app: MockServer | undefined;

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'webhook-durability-'));
  });

  afterEach(async () => {
    await app?.destroy();
    app = undefined;
    fs.rmSync(folder, { recursive: true, force: true });
  });

  // WAL (an operator's setting on a SQLite file): a commit is in the -wal file, which the next app replays.
  const cases: Array<['kill' | 'graceful', string | undefined]> = [
    ['kill', undefined],
    ['graceful', undefined],
    ...(sqlite ? [['kill', 'wal'] as ['kill', string]] : []),
  ];

  it.each(cases)(
    'runs every accepted delivery exactly once after a %s stop and a restart on the same database (journal: %s)',
    async (stopMode, journalMode) => {
      const storage = path.join(folder, 'db.sqlite');
      const { report, signal } = await runChild(storage, stopMode, journalMode);
      expect(signal).toBe(stopMode === 'kill' ? 'SIGKILL' : null);
      expect(report.accepted).toBe(20);
      expect(report.journalMode).toBe(journalMode);
      if (journalMode === 'wal') {
        // Killed before any checkpoint: the accepted rows are only in the log, and the next app must replay it.
        expect(fs.statSync(`${storage}-wal`).size).toBeGreaterThan(0);
      }

      app = await createWebhookApp({ skipInstall: true, ...(sqlite ? { database: { dialect: 'sqlite', storage } } : {}) });
      const restarted = app;
      const executions = await waitFor(async () => {
        const found = await restarted.db.getRepository('executions').find({ filter: { key: report.key }, appends: ['jobs'] });
        return found.length === report.accepted && found.every((e: Model) => e.get('status') === EXECUTION_STATUS.RESOLVED)
          ? found
          : null;
      }, 30_000);
      const deliveries = executions.map((e: Model) => (e.get('context') as { body: { delivery: number } }).body.delivery);
      expect(deliveries.sort((a: number, b: number) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      for (const execution of executions) {
        expect(execution.get('jobs')).toHaveLength(1);
      }
    },
    60_000,
  );
});
