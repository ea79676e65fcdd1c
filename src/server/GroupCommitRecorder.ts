import { randomUUID } from 'node:crypto';

import type { Logger } from '@nocobase/logger';
import type PluginWorkflowServer from '@nocobase/plugin-workflow';
import { EXECUTION_STATUS } from '@nocobase/plugin-workflow';
import type { WorkflowModel } from '@nocobase/plugin-workflow';

import type { WebhookContext } from '../common/types';
import type { ExecutionId } from './DeliveryOutcome';
import type { DeliveryRecorder } from './DeliveryRecorder';
import { ExecutionCounter } from './ExecutionCounter';
import { insertShapeOf, multiRowInsert } from './multiRowInsert';
import type { InsertShape } from './multiRowInsert';
import { PreparedInserts } from './PreparedInserts';
import { DIRECT_LANE } from './WriteLane';
import type { WriteLane } from './WriteLane';

interface Delivery {
  workflow: WorkflowModel;
  context: WebhookContext;
  eventKey: string;
  resolve: (executionId: ExecutionId) => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 200;
/** How long a turn waits for the next delivery before the engine may go on. */
const LINGER_MS = 3;
/** A turn gives way to the engine after this long, so that executions still run under a sustained load. */
const MAX_TURN_MS = 200;
/** The columns `workflow.createExecution` fills for a queueing execution, besides the id. */
const INSERTED_ATTRIBUTES = [
  'createdAt',
  'updatedAt',
  'workflowId',
  'key',
  'eventKey',
  'context',
  'status',
  'dispatched',
  'parentExecutionId',
  'stack',
  'manually',
];

const QUEUE_TASK_MAX_RETRIES = 2;

/**
 * Records async deliveries as queueing executions before they are acknowledged, so that a 2xx always has a row the
 * engine's recovery finds after a crash (the engine's own async trigger keeps the event in memory first).
 *
 * Deliveries that arrive while a write is in flight are grouped into the next write: one multi-row INSERT (one
 * statement, so one commit) for many requests, without waiting for a timer, so a lone request pays no extra latency.
 * Only that INSERT is between a request and its 2xx. The workflow's counters are then incremented for the batch, as
 * the engine increments them after creating an execution (not in the same transaction either), and the executions
 * are handed to the engine's queue once they are counted and the lane lets the engine go. On SQLite every write takes
 * its turn between the engine's executions (EngineWriteLane); elsewhere writes run alongside the engine's, and hold
 * its queue while they run (EngineHoldLane).
 */
export class GroupCommitRecorder implements DeliveryRecorder {
  private pending: Delivery[] = [];
  private flushing: Promise<void> | null = null;
  private readonly counter: ExecutionCounter;
  private readonly inserts: PreparedInserts;
  /** Batches written but not yet counted and queued. */
  private readonly handingOver = new Set<Promise<void>>();

  constructor(
    private readonly plugin: PluginWorkflowServer,
    private readonly logger: Logger,
    private readonly lane: WriteLane = DIRECT_LANE,
    /** Shared with the synchronous runs, so that their counts are written together. */
    counter?: ExecutionCounter,
  ) {
    this.counter = counter ?? new ExecutionCounter(plugin, logger, lane);
    this.inserts = new PreparedInserts(plugin.db);
  }

  /** A duplicate `eventKey` fails this delivery alone, with the database's unique constraint error. */
  record(workflow: WorkflowModel, context: WebhookContext, eventKey: string = randomUUID()): Promise<ExecutionId> {
    return new Promise<ExecutionId>((resolve, reject) => {
      this.pending.push({ workflow, context, eventKey, resolve, reject });
      this.arrived?.();
      this.flushing ??= this.flushAll();
    });
  }

  /** Releases what the writes keep open on the database (call once drained, before it closes). */
  close(): Promise<void> {
    return this.inserts.close();
  }

  /** Waits until every delivery handed over so far is written, counted and queued. */
  async drain(): Promise<void> {
    while (this.flushing || this.handingOver.size) {
      await this.flushing;
      await Promise.all(this.handingOver);
    }
  }

  /** One write at a time: more in flight made smaller batches and cost more CPU per delivery, for no throughput. */
  private async flushAll(): Promise<void> {
    try {
      while (this.pending.length) {
        if (!this.lane.holdsEngine) {
          await this.flushBatch(this.pending.splice(0, MAX_BATCH));
        } else if (await this.lane.run(() => this.flushTurn())) {
          await this.lane.giveWay();
        }
      }
    } finally {
      this.flushing = null;
    }
  }

  /**
   * One turn of a lane that keeps the engine waiting: batches are written for as long as
   * deliveries keep coming (the next one usually arrives within a millisecond under load, while the engine's next
   * execution would hold the turn for tens), up to MAX_TURN_MS. True when the turn was cut short.
   */
  private async flushTurn(): Promise<boolean> {
    const started = performance.now();
    for (;;) {
      if (!this.pending.length && !(await this.nextArrival(LINGER_MS))) {
        return false;
      }
      if (performance.now() - started >= MAX_TURN_MS) {
        return true;
      }
      await this.flushBatch(this.pending.splice(0, MAX_BATCH));
    }
  }

  private arrived: (() => void) | null = null;

  /** True when a delivery is recorded within `ms`. */
  private nextArrival(ms: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.arrived = null;
        resolve(false);
      }, ms);
      this.arrived = () => {
        clearTimeout(timer);
        this.arrived = null;
        resolve(true);
      };
    });
  }

  private async flushBatch(batch: Delivery[]): Promise<void> {
    let executions: Array<{ id: string | number }>;
    try {
      executions = await this.write(batch);
    } catch (error) {
      if (batch.length === 1) {
        this.logger.error('recording webhook execution failed', { error, workflowId: batch[0].workflow.id });
        batch[0].reject(error);
        return;
      }
      // One bad delivery (e.g. a duplicate event key) must not fail the others: write them one by one.
      for (const delivery of batch) {
        await this.flushBatch([delivery]);
      }
      return;
    }
    // In the batch's order (generated before the INSERT, or returned by it).
    batch.forEach((delivery, index) => delivery.resolve(executions[index].id));
    // Counting and queueing happen off the write path: the next batch is written meanwhile.
    const handOver = new Promise<void>((resolve) =>
      this.counter.add(
        batch.map(({ workflow }) => workflow),
        () => this.lane.handOver(() => resolve(this.enqueue(executions))),
      ),
    );
    this.handingOver.add(handOver);
    void handOver.finally(() => this.handingOver.delete(handOver));
  }

  /**
   * One multi-row INSERT of the rows `workflow.createExecution` would create (same columns and values), committed on
   * its own before the deliveries are acknowledged (on SQLite, by a statement prepared once per batch size:
   * PreparedInserts). The model's create hooks do not run for these rows (none is
   * registered on executions by NocoBase or plugin-workflow; `workflow.createExecution` would run them).
   */
  private async write(batch: Delivery[]): Promise<Array<{ id: string | number }>> {
    const { db } = this.plugin;
    const { shape, snowflakeId, idColumn, eventKeyColumn } = this.insertShape();
    const now = new Date();
    const ids: Array<string | number> = [];
    const rows = batch.map(({ workflow, context, eventKey }) => {
      const row: Record<string, unknown> = {
        createdAt: now,
        updatedAt: now,
        workflowId: workflow.id,
        key: workflow.key,
        eventKey,
        context: JSON.stringify(context),
        status: EXECUTION_STATUS.QUEUEING,
        dispatched: false,
        parentExecutionId: null,
        stack: '[]',
        manually: false,
      };
      if (snowflakeId) {
        row.id = this.plugin.app.snowflakeIdGenerator.generate();
        ids.push(row.id as number);
      }
      return row;
    });
    const { sql, bind } = multiRowInsert(db, shape, rows);
    if (snowflakeId) {
      await this.inserts.run(sql, bind);
      return ids.map((id) => ({ id }));
    }
    // Ids the database assigns (not plugin-workflow 2.x: its ids are snowflakes), matched by the unique event key.
    const [returned] = await db.sequelize.query(
      `${sql} RETURNING ${db.quoteIdentifier(idColumn)}, ${db.quoteIdentifier(eventKeyColumn)}`,
      { bind },
    );
    const idByEventKey = new Map(
      (returned as Array<Record<string, string | number>>).map((row) => [String(row[eventKeyColumn]), row[idColumn]]),
    );
    return batch.map(({ eventKey }) => ({ id: idByEventKey.get(eventKey)! }));
  }

  private shape?: { shape: InsertShape; snowflakeId: boolean; idColumn: string; eventKeyColumn: string };

  /** Table, columns and id kind of the executions collection. */
  private insertShape() {
    if (!this.shape) {
      const collection = this.plugin.db.getCollection('executions');
      const snowflakeId = collection.getField('id')?.type === 'snowflakeId';
      const shape = insertShapeOf(this.plugin.db, 'executions', [
        ...(snowflakeId ? ['id'] : []),
        ...INSERTED_ATTRIBUTES,
      ]);
      const columnOf = (attribute: string) =>
        (collection.model.getAttributes() as Record<string, { field?: string }>)[attribute]?.field ?? attribute;
      this.shape = { shape, snowflakeId, idColumn: columnOf('id'), eventKeyColumn: columnOf('eventKey') };
    }
    return this.shape;
  }

  private async enqueue(executions: Array<{ id: string | number }>): Promise<void> {
    for (const execution of executions) {
      try {
        await this.plugin.app.eventQueue.publish(
          this.plugin.channelPendingExecution,
          { executionId: execution.id },
          { maxRetries: QUEUE_TASK_MAX_RETRIES },
        );
      } catch (error) {
        // The execution is stored as queueing: the engine's periodic recovery will still run it.
        this.logger.error('queueing webhook execution failed; recovery will pick it up', {
          error,
          executionId: execution.id,
        });
      }
    }
  }
}
