import path from 'node:path';

// A real NocoBase app per test, on SQLite in memory unless the run names another database (DB_DIALECT=postgres ...).
process.env.DB_DIALECT ??= 'sqlite';
if (process.env.DB_DIALECT === 'sqlite') {
  process.env.DB_STORAGE ??= ':memory:';
}
process.env.NODE_MODULES_PATH ??= path.resolve(__dirname, '../../../../node_modules');
process.env.LOGGER_LEVEL ??= 'error';
process.env.APP_ENV ??= 'test';
process.env.API_BASE_PATH ??= '/api';
