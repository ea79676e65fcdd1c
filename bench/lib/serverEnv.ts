/**
 * Environment of the benchmark app, set before NocoBase loads. Unlike the test environment
 * (src/server/__tests__/helpers/environment.ts) it keeps NocoBase's default logging (info level, console and daily
 * files) unless LOGGER_LEVEL is given, and runs as production on a SQLite file unless DB_DIALECT names another database
 * (the driver passes DB_DIALECT=postgres and the DB_* connection variables for the PostgreSQL app).
 */
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const tmp = path.join(root, 'bench', '.tmp');

process.env.DB_DIALECT ??= 'sqlite';
if (process.env.DB_DIALECT === 'sqlite') {
  process.env.DB_STORAGE ??= path.join(tmp, 'app', 'nocobase.sqlite');
}
// createMockServer empties <storage>/cache: never let it touch the repository's storage/ folder.
process.env.STORAGE_PATH ??= path.join(tmp, 'app', 'storage');
process.env.NODE_MODULES_PATH ??= path.join(root, 'node_modules');
process.env.APP_ENV ??= 'production';
process.env.API_BASE_PATH ??= '/api';
