import { StringDecoder } from 'node:string_decoder';
import type { Context } from 'koa';
import type { Database } from '@nocobase/database';
import { Op } from '@nocobase/database';
import type { Logger } from '@nocobase/logger';
import type { WorkflowModel } from '@nocobase/plugin-workflow';

import { TRIGGER_TYPE } from '../common/constants';
import { REQUEST_LOG_BODY_MAX_BYTES, REQUEST_LOG_COLLECTION, requestLogSettings } from '../common/requestLog';
import type { HttpAnswer, WebhookTriggerConfig } from '../common/types';
import type { DeliveryObserver, DeliveryOutcome, ExecutionId } from './DeliveryOutcome';
import { rawBytesOf } from './webhookBody';

/** A row of the request log as it is written. */
export interface RequestLogRow {
  workflowId: string | number | null;
  workflowKey: string;
  createdAt: Date;
  method: string;
  status: number;
  check: string | null;
  message: string | null;
  ip: string | null;
  requestBytes: number;
  durationMs: number;
  executionId: ExecutionId | null;
  replayed: boolean;
  body: string | null;
}

/** A row waiting to be written; without `limit`, the key has no enabled workflow and its stored one decides. */
interface Entry {
  row: RequestLogRow;
  limit?: number;
}

type ResolvedEntry = Required<Entry>;

const MAX_BATCH = 500;
/** Beyond this many rows waiting (the database is down or far behind), new ones are dropped, not queued. */
const MAX_PENDING = 10_000;
const MESSAGE_MAX_LENGTH = 1_000;
/** SQLITE_BUSY (a write of the engine holds the file) is retried after these pauses, then the rows are dropped. */
const BUSY_RETRY_DELAYS_MS: readonly number[] = [20, 100, 500];
const WARNING_INTERVAL_MS = 60_000;

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

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The per-workflow request log, as a delivery observer: `observe` only queues a row (the request is never delayed
 * and never fails because of the log); rows that arrive while a write is in flight are written together by the next
 * one, one multi-row INSERT per batch, after which each workflow key of the batch is pruned to its limit.
 */
export class RequestLogRecorder implements DeliveryObserver {
  private pending: Entry[] = [];
  private writing: Promise<void> | null = null;
  private dropped = 0;
  private lastWarningAt = 0;

  constructor(
    private readonly db: Database,
    /** The enabled workflow of a key, for requests refused before the handler looked it up (405, 413, 415...). */
    private readonly findEnabled: (key: string) => WorkflowModel | undefined,
    private readonly logger: Logger,
    private readonly busyRetryDelaysMs: readonly number[] = BUSY_RETRY_DELAYS_MS,
  ) {}

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

  /** Resolves once every row queued so far is written (or dropped with a warning). */
  async drain(): Promise<void> {
    while (this.writing) {
      await this.writing;
    }
  }

  private enqueue(entry: Entry): void {
    if (this.pending.length >= MAX_PENDING) {
      this.reportDropped(1, 'too many requests waiting to be logged');
      return;
    }
    this.pending.push(entry);
    // The next turn of the event loop: the answer goes out first, and requests of the same turn share one write.
    this.writing ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.writeAll())
      .catch((error) => {
        this.logger.error('webhook request log writer failed', { error });
      })
      .finally(() => {
        this.writing = null;
      });
  }

  private async writeAll(): Promise<void> {
    while (this.pending.length) {
      await this.writeBatch(this.pending.splice(0, MAX_BATCH));
    }
  }

  private async writeBatch(batch: Entry[]): Promise<void> {
    const entries = await this.withStoredSettings(batch);
    if (!entries.length) {
      return;
    }
    const Model = this.db.getModel(REQUEST_LOG_COLLECTION);
    try {
      // The snowflake ids come from the model's beforeBulkCreate hook.
      await this.retryWhileBusy(() => Model.bulkCreate(entries.map(({ row }) => ({ ...row })), { returning: false }));
    } catch (error) {
      this.reportDropped(entries.length, 'the rows could not be written', error);
      return;
    }
    const limits = new Map(entries.map(({ row, limit }) => [row.workflowKey, limit]));
    for (const [key, limit] of limits) {
      try {
        await this.retryWhileBusy(() => this.prune(key, limit));
      } catch (error) {
        // The next write for this key prunes again.
        this.logger.warn('webhook request log: pruning failed', { workflowKey: key, error: String(error) });
      }
    }
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
    let stored: WorkflowModel[];
    try {
      stored = (await this.retryWhileBusy(() =>
        this.db.getRepository('workflows').find({
          filter: { key: { $in: keys }, current: true, type: TRIGGER_TYPE },
          fields: ['id', 'key', 'config'],
        }),
      )) as unknown as WorkflowModel[];
    } catch (error) {
      this.reportDropped(unresolved.length, 'the workflows of unanswered keys could not be read', error);
      return resolved;
    }
    const byKey = new Map(stored.map((workflow) => [workflow.get('key') as string, workflow]));
    for (const { row } of unresolved) {
      const workflow = byKey.get(row.workflowKey);
      const config = workflow?.get('config') as WebhookTriggerConfig | undefined;
      const settings = requestLogSettings(config?.requestLog);
      if (workflow && settings.enabled) {
        resolved.push({ row: { ...row, workflowId: workflow.get('id') as number }, limit: settings.limit });
      }
    }
    return resolved;
  }

  /** Keeps the `limit` newest rows of a key (newest by arrival, then id, as the list action sorts them). */
  private async prune(workflowKey: string, limit: number): Promise<void> {
    const Model = this.db.getModel(REQUEST_LOG_COLLECTION);
    const oldestKept = await Model.findOne({
      where: { workflowKey },
      order: [
        ['createdAt', 'DESC'],
        ['id', 'DESC'],
      ],
      offset: limit - 1,
      attributes: ['id', 'createdAt'],
    });
    if (!oldestKept) {
      return;
    }
    const createdAt = oldestKept.get('createdAt');
    const id = oldestKept.get('id');
    await Model.destroy({
      where: {
        workflowKey,
        [Op.or]: [{ createdAt: { [Op.lt]: createdAt } }, { createdAt, id: { [Op.lt]: id } }],
      },
    });
  }

  private async retryWhileBusy<T>(operation: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await operation();
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
