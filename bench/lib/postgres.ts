/**
 * The PostgreSQL server the `--postgres` part of a run uses: the same DB_* variables as `npm run test:postgres`
 * (default 127.0.0.1:5432, postgres/postgres), and one database (BENCH_PG_DATABASE, default webhook_bench) that is
 * dropped and created before each app starts, so that every PostgreSQL app starts as clean as a fresh SQLite file.
 */
import { Client } from 'pg';

export interface PostgresSettings {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export function postgresSettings(env: NodeJS.ProcessEnv = process.env): PostgresSettings {
  return {
    host: env.DB_HOST || '127.0.0.1',
    port: Number(env.DB_PORT || 5432),
    user: env.DB_USER || 'postgres',
    password: env.DB_PASSWORD || 'postgres',
    database: env.BENCH_PG_DATABASE || 'webhook_bench',
  };
}

/** The environment of a benchmark app on that server (bench/lib/serverEnv.ts lets the DB_* variables through). */
export function postgresAppEnv(settings: PostgresSettings): NodeJS.ProcessEnv {
  return {
    DB_DIALECT: 'postgres',
    DB_HOST: settings.host,
    DB_PORT: String(settings.port),
    DB_USER: settings.user,
    DB_PASSWORD: settings.password,
    DB_DATABASE: settings.database,
  };
}

async function withMaintenanceClient<T>(settings: PostgresSettings, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({
    host: settings.host,
    port: settings.port,
    user: settings.user,
    password: settings.password,
    database: 'postgres',
    connectionTimeoutMillis: 3000,
  });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** The server's version if it answers, or why not. */
export async function probePostgres(settings: PostgresSettings): Promise<{ version: string } | { error: string }> {
  try {
    return await withMaintenanceClient(settings, async (client) => {
      const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
      return { version: rows[0].server_version };
    });
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Drops (closing any leftover connection) and creates the benchmark database. */
export async function recreateDatabase(settings: PostgresSettings): Promise<void> {
  await withMaintenanceClient(settings, async (client) => {
    const name = quoteIdentifier(settings.database);
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  });
}
