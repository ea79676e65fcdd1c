import { StringDecoder } from 'node:string_decoder';
import type { Context } from 'koa';
import type { Logger } from '@nocobase/logger';
import type { WorkflowModel } from '@nocobase/plugin-workflow';

import { REQUEST_LOG_BODY_MAX_BYTES, requestLogSettings } from '../common/requestLog';
import type { HttpAnswer, WebhookTriggerConfig } from '../common/types';
import type { DeliveryObserver, DeliveryOutcome, ExecutionId } from './DeliveryOutcome';
import type { RequestLogRow, RequestLogStore, StoredWorkflow } from './RequestLogTable';
import { newestPerKey } from './newestPerKey';
import { rawBytesOf } from './webhookBody';
import { DIRECT_LANE } from './WriteLane';
import type { WriteLane } from './WriteLane';

/** A row waiting to be written; without `limit`, the key has no enabled workflow and its stored one decides. */
interface Entry {
  row: RequestLogRow;
  limit?: number;
}

type ResolvedEntry = Required<Entry>;

/** Rows per INSERT (14 bound parameters each), well under SQLite's and PostgreSQL's limits on parameters. */
const MAX_ROWS_PER_INSERT = 500;
/** Beyond this many rows waiting (the database is down or far behind), the oldest waiting rows are dropped. */
const MAX_PENDING = 10_000;
const MESSAGE_MAX_LENGTH = 1_000;
/** SQLITE_BUSY (a write of the engine holds the file) is retried after these pauses, then the rows are dropped. */
const BUSY_RETRY_DELAYS_MS: readonly number[] = [20, 100, 500];
const WARNING_INTERVAL_MS = 60_000;
const PRUNE_INTERVAL_MS = 1_000;
const WRITE_SPACING_MS = 1_000;

/** The answer's error message (`{ errors: [{ message }] }`), shortened. */
function messageOf(answer: HttpAnswer): string | null {
  const errors = (answer.body as { errors?: Array<{ message?: unknown }> } | null)?.errors;
  const message = Array.isArray(errors) ? errors[0]?.message : undefined;
  return typeof message === 'string' ? message.slice(0, MESSAGE_MAX_LENGTH) : null;
}

/** The body as text, cut at a character boundary; NUL (which PostgreSQL text refuses) becomes U+FFFD. */
function bodyTextOf(bytes: Buffer): string {
  const text = new StringDecoder('utf8').write(bytes.subarray(0, REQUEST_LOG_BODY_MAX_BYTES));
  return text.replace(/\0/g, '\uFFFD');
}

/** What the log keeps of an answered request: no header, credential or signature, a body only when asked. */
function requestLogRowOf(
  ctx: Context,
  outcome: DeliveryOutcome,
  workflow: Pick<WorkflowModel, 'id'> | null,
  captureBody: boolean,
): RequestLogRow {
  const bytes = rawBytesOf(ctx);
  return {
    workflowId: workflow?.id ?? null,
    workflowKey: outcome.key,
    createdAt: outcome.receivedAt,
    method: ctx.method.slice(0, 16),
    status: outcome.answer.statusCode,
    check: outcome.refusal ?? null,
    // Only the plugin's own refusals: a Response node's body is the workflow's business, not the log's.
    message: outcome.refusal ? messageOf(outcome.answer) : null,
    ip: ctx.ip ? ctx.ip.slice(0, 64) : null,
    requestBytes: outcome.requestBytes,
    durationMs: Math.round(outcome.durationMs),
    executionId: outcome.executionId ?? null,
    replayed: Boolean(outcome.replayed),
    body: captureBody && bytes.length ? bodyTextOf(bytes) : null,
  };
}

function isDatabaseBusy(error: unknown): boolean {
  const { code, parent, original, message } = (error ?? {}) as {
    code?: string;
    parent?: { code?: string };
    original?: { code?: string };
    message?: string;
  };
  const codes = [code, parent?.code, original?.code];
  return codes.some((value) => value === 'SQLITE_BUSY' || value === 'SQLITE_LOCKED') || /SQLITE_BUSY/.test(message ?? '');
}

export interface RequestLogRecorderOptions {
  /** Where the writes run (on SQLite, in turns with the workflow engine). */
  lane?: WriteLane;
  /** Pauses before retrying a busy SQLite database. */
  busyRetryDelaysMs?: readonly number[];
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The per-workflow request log, as a delivery observer: `observe` only queues a row (the request is never delayed
 * and never fails because of the log); rows that arrive while a write is in flight are written together by the next
 * one, one multi-row INSERT per batch, after which each workflow key of the batch is pruned to its limit.
 */
export class RequestLogRecorder implements DeliveryObserver {
  private pending: Entry[] = [];
  /** The last task of the writer's chain (writes and prunings, one at a time). */
  private writing: Promise<void> | null = null;
  private writeScheduled = false;
  private lastWriteAt = 0;
  /** Keys written since their last pruning, with their limit. */
  private readonly unpruned = new Map<string, number>();
  private readonly prunedAt = new Map<string, number>();
  private pruneTimer: NodeJS.Timeout | null = null;
  private dropped = 0;
  /** The waiting rows were trimmed to their limits and still fill the queue: no use trimming again until a write. */
  private trimmedFull = false;
  private lastWarningAt = 0;

  private readonly lane: WriteLane;
  private readonly busyRetryDelaysMs: readonly number[];

  constructor(
    private readonly table: RequestLogStore,
    /** The enabled workflow of a key, for requests refused before the handler looked it up (405, 413, 415...). */
    private readonly findEnabled: (key: string) => WorkflowModel | undefined,
    private readonly logger: Logger,
    { lane = DIRECT_LANE, busyRetryDelaysMs = BUSY_RETRY_DELAYS_MS }: RequestLogRecorderOptions = {},
  ) {
    this.lane = lane;
    this.busyRetryDelaysMs = busyRetryDelaysMs;
  }

  observe(ctx: Context, outcome: DeliveryOutcome): void {
    if (!outcome.key) {
      return;
    }
    const workflow = outcome.workflow ?? this.findEnabled(outcome.key);
    if (!workflow) {
      // No enabled workflow answers at this key (404): logged only if a stored workflow has it, found when written.
      this.enqueue({ row: requestLogRowOf(ctx, outcome, null, false) });
      return;
    }
    const settings = requestLogSettings((workflow.config as WebhookTriggerConfig | undefined)?.requestLog);
    if (settings.enabled) {
      this.enqueue({ row: requestLogRowOf(ctx, outcome, workflow, settings.captureBody), limit: settings.limit });
    }
  }

  /** Resolves once every row queued so far is written (or dropped with a warning) and every key pruned. */
  async drain(): Promise<void> {
    if (this.pruneTimer) {
      clearTimeout(this.pruneTimer);
      this.pruneTimer = null;
    }
    this.schedule(() => this.pruneDue(Number.POSITIVE_INFINITY));
    while (this.writing) {
      await this.writing;
    }
  }

  private enqueue(entry: Entry): void {
    if (this.pending.length >= MAX_PENDING && !this.trimmedFull) {
      this.pending = newestPerKey(this.pending);
      this.trimmedFull = this.pending.length >= MAX_PENDING;
    }
    if (this.pending.length >= MAX_PENDING) {
      // The log keeps the newest rows: the oldest waiting one gives way.
      this.pending.shift();
      this.reportDropped(1, 'too many requests waiting to be logged');
    }
    this.pending.push(entry);
    if (!this.writeScheduled) {
      this.writeScheduled = true;
      this.schedule(() => {
        this.writeScheduled = false;
        return this.writeAll();
      });
    }
  }

  /** Chains a task after the writer's last one; a task of an idle writer waits for the next turn of the event loop,
   * so the answer goes out first and the requests of one turn share one write. */
  private schedule(task: () => Promise<void>): void {
    const previous = this.writing ?? new Promise<void>((resolve) => setImmediate(resolve));
    const next: Promise<void> = previous
      .then(task)
      .catch((error) => {
        this.logger.error('webhook request log writer failed', { error });
      })
      .finally(() => {
        if (this.writing === next) {
          this.writing = null;
        }
      });
    this.writing = next;
  }

  /**
   * Under a sustained load the rows of WRITE_SPACING_MS are written together, and of those only the ones the pruning
   * would keep: a log write is a commit like an acknowledgement's, and on SQLite it takes the same single writer. So a
   * key's log costs at most `limit` rows a second, however many requests come. A lone request is written at once.
   */
  private async writeAll(): Promise<void> {
    while (this.pending.length) {
      const wait = this.lastWriteAt + WRITE_SPACING_MS - Date.now();
      if (wait > 0) {
        await pause(wait);
      }
      this.lastWriteAt = Date.now();
      const batch = this.pending;
      this.pending = [];
      this.trimmedFull = false;
      await this.writeBatch(batch);
    }
  }

  /** Every row that waited, trimmed to the limits, in INSERTs of MAX_ROWS_PER_INSERT; then the due prunings. */
  private async writeBatch(batch: Entry[]): Promise<void> {
    const entries = newestPerKey(await this.withStoredSettings(batch));
    for (let start = 0; start < entries.length; start += MAX_ROWS_PER_INSERT) {
      const rows = entries.slice(start, start + MAX_ROWS_PER_INSERT);
      try {
        await this.retryWhileBusy(() => this.table.insert(rows.map(({ row }) => row)));
      } catch (error) {
        this.reportDropped(rows.length, 'the rows could not be written', error);
        continue;
      }
      for (const { row, limit } of rows) {
        this.unpruned.set(row.workflowKey, limit);
      }
    }
    await this.pruneDue(Date.now() - PRUNE_INTERVAL_MS);
  }

  /**
   * Prunes the keys written since their last pruning, if that pruning is older than `before`: once a second per key
   * at most, so that under load a key holds at most a second of rows over its limit (and pruning costs two queries a
   * second, not two per write). A timer prunes what is left when the writes stop.
   */
  private async pruneDue(before: number): Promise<void> {
    for (const [key, limit] of [...this.unpruned]) {
      if ((this.prunedAt.get(key) ?? 0) > before) {
        continue;
      }
      this.unpruned.delete(key);
      this.prunedAt.set(key, Date.now());
      try {
        await this.retryWhileBusy(() => this.table.prune(key, limit));
      } catch (error) {
        // The next write for this key prunes again.
        this.logger.warn('webhook request log: pruning failed', { workflowKey: key, error: String(error) });
      }
    }
    this.schedulePruning();
  }

  private schedulePruning(): void {
    if (this.pruneTimer || !this.unpruned.size) {
      return;
    }
    this.pruneTimer = setTimeout(() => {
      this.pruneTimer = null;
      this.schedule(() => this.pruneDue(Date.now() - PRUNE_INTERVAL_MS));
    }, PRUNE_INTERVAL_MS);
    // A log waiting to be pruned does not keep the process alive; stopping the app prunes it (drain).
    this.pruneTimer.unref();
  }

  /**
   * Rows of keys without an enabled workflow take the settings of the key's current stored version (a disabled
   * webhook workflow); keys no webhook workflow has are not logged, so random URLs cannot fill the table.
   */
  private async withStoredSettings(batch: Entry[]): Promise<ResolvedEntry[]> {
    const resolved = batch.filter((entry): entry is ResolvedEntry => entry.limit !== undefined);
    const unresolved = batch.filter((entry) => entry.limit === undefined);
    if (!unresolved.length) {
      return resolved;
    }
    const keys = [...new Set(unresolved.map(({ row }) => row.workflowKey))];
    let stored: StoredWorkflow[];
    try {
      stored = await this.retryWhileBusy(() => this.table.currentWorkflows(keys));
    } catch (error) {
      this.reportDropped(unresolved.length, 'the workflows of unanswered keys could not be read', error);
      return resolved;
    }
    const byKey = new Map(stored.map((workflow) => [workflow.key, workflow]));
    for (const { row } of unresolved) {
      const workflow = byKey.get(row.workflowKey);
      const settings = requestLogSettings(workflow?.config?.requestLog);
      if (workflow && settings.enabled) {
        resolved.push({ row: { ...row, workflowId: workflow.id }, limit: settings.limit });
      }
    }
    return resolved;
  }

  private async retryWhileBusy<T>(operation: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.lane.run(operation);
      } catch (error) {
        if (attempt >= this.busyRetryDelaysMs.length || !isDatabaseBusy(error)) {
          throw error;
        }
        await pause(this.busyRetryDelaysMs[attempt]);
      }
    }
  }

  /** One warning a minute at most, with how many rows were dropped since the last one. */
  private reportDropped(count: number, reason: string, error?: unknown): void {
    this.dropped += count;
    const now = Date.now();
    if (now - this.lastWarningAt < WARNING_INTERVAL_MS) {
      return;
    }
    this.logger.warn(`webhook request log: ${this.dropped} rows dropped (${reason})`, {
      error: error === undefined ? undefined : String(error),
    });
    this.dropped = 0;
    this.lastWarningAt = now;
  }
}
