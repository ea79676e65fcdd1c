import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// A real NocoBase app per test, on SQLite in memory unless the run names another database (DB_DIALECT=postgres ...).
process.env.DB_DIALECT ??= 'sqlite';
if (process.env.DB_DIALECT === 'sqlite') {
  process.env.DB_STORAGE ??= ':memory:';
} else if (process.env.JEST_WORKER_ID && !process.env.DB_DATABASE_WORKER_SUFFIXED) {
  // Every test reinstalls its app into the database: parallel Jest workers each get their own.
  process.env.DB_DATABASE = `${process.env.DB_DATABASE ?? 'webhook_test'}_${process.env.JEST_WORKER_ID}`;
  process.env.DB_DATABASE_WORKER_SUFFIXED = '1';
}
// NocoBase keeps an app's files there, among them the in-memory event queue a stopped app saves and the next app of
// the same name loads: one folder per Jest worker, so that no test reads another's queue, nor a run a previous run's.
process.env.STORAGE_PATH ??= fs.mkdtempSync(path.join(os.tmpdir(), 'webhook-test-storage-'));
process.env.NODE_MODULES_PATH ??= path.resolve(__dirname, '../../../../node_modules');
process.env.LOGGER_LEVEL ??= 'error';
process.env.APP_ENV ??= 'test';
process.env.API_BASE_PATH ??= '/api';
