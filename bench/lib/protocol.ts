/** Messages between the driver (bench/run.ts) and a target child process over Node's IPC channel. */

export interface WorkflowEndpoint {
  key: string;
  /** Path and query string, e.g. `/api/webhook:trigger/<key>?source=bench...` */
  path: string;
}

export interface ServerReady {
  type: 'ready';
  port: number;
  node: string;
  /** The app's database dialect (sqlite, postgres). */
  dialect: string;
  /** SQLite's journal mode when BENCH_SQLITE_JOURNAL_MODE set one (e.g. `wal`). */
  journalMode?: string;
  /** The trivial public action `POST /api/benchFloor:ping`. */
  floorPath: string;
  workflows: Record<WorkflowName, WorkflowEndpoint>;
}

export type WorkflowName =
  | 'async'
  | 'sync'
  | 'drain'
  | 'bodySize'
  | 'memory'
  | 'unsigned1MB'
  | 'signed1MB'
  | 'logOn'
  | 'logOff';

export interface MemoryFigures {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

export interface ExecutionCounts {
  total: number;
  /** status -> count; `queueing` for null, as plugin-workflow stores a queued execution. */
  byStatus: Record<string, number>;
  /** Distinct `context.body.deliveryId` values (requests sent with autocannon's `[<id>]` replacement), if asked. */
  distinctDeliveries?: number;
}

export interface QueueFigures {
  /** Messages waiting in or being read from NocoBase's in-memory event queue; null with another queue adapter. */
  pending: number | null;
}

/** Sequential single-row INSERTs, each its own commit, on the app's own connection: what one durable write waits for. */
export interface CommitProbe {
  commits: number;
  medianMs: number;
  p90Ms: number;
  /** The same round trip without a write (`SELECT 1`): the part of a commit that is not the database's flush. */
  selectMedianMs: number;
}

export type ControlCommand =
  | { cmd: 'memory' }
  | { cmd: 'gc' }
  | { cmd: 'clock' }
  | { cmd: 'executions'; key: string; distinct?: boolean }
  | { cmd: 'queue' }
  /** Holds (false) or lets run (true) the workflow engine's queue: deliveries are still recorded and queued. */
  | { cmd: 'engine'; run: boolean }
  | { cmd: 'commitProbe'; commits: number }
  | { cmd: 'stop' };

export interface ControlRequest {
  id: number;
  command: ControlCommand;
}

export interface ControlReply {
  type: 'reply';
  id: number;
  result?: unknown;
  error?: string;
}
