// The part of pg 8's API bench/lib/postgres.ts uses (no @types/pg in this project).
declare module 'pg' {
  interface ClientConfig {
    host?: string;
    port?: number;
    user?: string;
    password?: string;
    database?: string;
    connectionTimeoutMillis?: number;
  }
  interface QueryResult<R> {
    rows: R[];
    rowCount: number | null;
  }
  class Client {
    constructor(config?: ClientConfig);
    connect(): Promise<void>;
    query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
    end(): Promise<void>;
  }
}
