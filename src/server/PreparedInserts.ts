import type Database from '@nocobase/database';
import type { Database as SqliteConnection, Statement } from 'sqlite3';

/**
 * Distinct statements kept per connection (one per batch size): a batch size first seen after 64 others goes through
 * Sequelize.
 */
const MAX_STATEMENTS = 64;

interface SqliteConnectionManager {
  getConnection(options: object): Promise<SqliteConnection>;
}

/** Sequelize's default connection of a SQLite database (the one its queries outside a transaction use). */
export function sqliteConnectionOf(db: Database): Promise<SqliteConnection> {
  return (db.sequelize.connectionManager as unknown as SqliteConnectionManager).getConnection({});
}

/**
 * Runs a multi-row INSERT. On SQLite, through a statement prepared once per SQL text on Sequelize's own connection:
 * node-sqlite3 prepares and runs a statement in two trips through the thread pool, and under load each
 * trip back waits for the event loop. A write then took 4-7 ms for a 1.5 ms commit; prepared, it makes one trip.
 * A failed run is retried through Sequelize: one statement is atomic, so nothing of it was written, and Sequelize
 * gives its own errors (a duplicate event key is a `SequelizeUniqueConstraintError`) and retries a busy file.
 */
export class PreparedInserts {
  private readonly statements = new WeakMap<SqliteConnection, Map<string, Promise<Statement | null>>>();
  private current: SqliteConnection | null = null;
  /** Connections closing or closed: nothing more is prepared on them. */
  private readonly closed = new WeakSet<SqliteConnection>();

  constructor(private readonly db: Database) {
    // A connection with unfinalized statements refuses to close.
    db.on('beforeClose', () => this.finalizeAll(true));
  }

  async run(sql: string, bind: unknown[]): Promise<void> {
    const statement = this.db.options.dialect === 'sqlite' ? await this.statementFor(sql) : null;
    if (statement) {
      try {
        await new Promise<void>((resolve, reject) => statement.run(bind, (error) => (error ? reject(error) : resolve())));
        return;
      } catch {
        // Sequelize runs it again below.
      }
    }
    await this.db.sequelize.query(sql, { bind });
  }

  private async statementFor(sql: string): Promise<Statement | null> {
    const connection = await sqliteConnectionOf(this.db);
    if (this.closed.has(connection)) {
      return null;
    }
    this.current = connection;
    let byText = this.statements.get(connection);
    if (!byText) {
      byText = new Map();
      this.statements.set(connection, byText);
    }
    let statement = byText.get(sql);
    if (!statement) {
      if (byText.size >= MAX_STATEMENTS) {
        return null;
      }
      // A statement that cannot be prepared stays null: its SQL goes through Sequelize.
      statement = new Promise<Statement | null>((resolve) => {
        const prepared = connection.prepare(sql, (error) => resolve(error ? null : prepared));
      });
      byText.set(sql, statement);
    }
    return statement;
  }

  /**
   * Finalizes the statements; they are prepared again on the next write. The app calls this as it stops: a reload or
   * restart removes the database's listeners before it closes the connection, so `beforeClose` would not be heard.
   */
  close(): Promise<void> {
    return this.finalizeAll(false);
  }

  private async finalizeAll(closing: boolean): Promise<void> {
    const connection = this.current;
    this.current = null;
    const byText = connection && this.statements.get(connection);
    if (!connection || !byText) {
      return;
    }
    if (closing) {
      this.closed.add(connection);
    }
    if (!byText.size) {
      return;
    }
    const statements = await Promise.all(byText.values());
    byText.clear();
    await Promise.all(
      statements.map((statement) => statement && new Promise<void>((resolve) => statement.finalize(() => resolve()))),
    );
  }
}
