import { randomUUID } from 'node:crypto';

import type { Model, Transactionable } from '@nocobase/database';
import type { Logger } from '@nocobase/logger';
import type PluginWorkflowServer from '@nocobase/plugin-workflow';
import { EXECUTION_STATUS } from '@nocobase/plugin-workflow';
import type { ExecutionModel, WorkflowModel } from '@nocobase/plugin-workflow';

import type { WebhookContext } from '../common/types';
import type { DeliveryRecorder } from './DeliveryRecorder';

/** The counters plugin-workflow keeps on its workflow models (not declared in its types). */
type CountedWorkflow = WorkflowModel & {
  stats?: Model;
  versionStats?: Model;
  getStats(options?: Transactionable): Promise<Model>;
  getVersionStats(options?: Transactionable): Promise<Model>;
};

interface Delivery {
  workflow: WorkflowModel;
  context: WebhookContext;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 200;
const MAX_WRITERS = Number(process.env.EXP_MAX_WRITERS ?? 1);
const QUEUE_TASK_MAX_RETRIES = 2;

/**
 * Records async deliveries as queueing executions before they are acknowledged, so that a 2xx always has a row the
 * engine's recovery finds after a crash (the engine's own async trigger keeps the event in memory first).
 *
 * Deliveries that arrive while a write is in flight are grouped into the next write: one multi-row INSERT (one
 * statement, so one commit) for many requests, without waiting for a timer, so a lone request pays no extra latency.
 * Only that INSERT is between a request and its 2xx. The workflow's counters are then incremented for the batch, as
 * the engine increments them after creating an execution (not in the same transaction either), and the executions
 * are handed to the engine's queue once they are counted. For databases with row-level locking (PostgreSQL, MySQL);
 * SQLite uses EngineQueueRecorder.
 */
export class GroupCommitRecorder implements DeliveryRecorder {
  private pending: Delivery[] = [];
  private readonly writers = new Set<Promise<void>>();
  private readonly counter: ExecutionCounter;
  /** Batches written but not yet counted and queued. */
  private readonly handingOver = new Set<Promise<void>>();

  constructor(
    private readonly plugin: PluginWorkflowServer,
    private readonly logger: Logger,
  ) {
    this.counter = new ExecutionCounter(plugin, logger);
  }

  record(workflow: WorkflowModel, context: WebhookContext): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ workflow, context, resolve, reject });
      if (this.writers.size < MAX_WRITERS) {
        const writer = this.flushAll();
        this.writers.add(writer);
        void writer.finally(() => this.writers.delete(writer));
      }
    });
  }

  /** Waits until every delivery handed over so far is written, counted and queued. */
  async drain(): Promise<void> {
    while (this.writers.size || this.handingOver.size) {
      await Promise.all(this.writers);
      await Promise.all(this.handingOver);
    }
  }

  private async flushAll(): Promise<void> {
    while (this.pending.length) {
      const batch = this.pending.splice(0, MAX_BATCH);
      await this.flushBatch(batch);
    }
  }

  private async flushBatch(batch: Delivery[]): Promise<void> {
    let executions: ExecutionModel[];
    try {
      executions = await this.write(batch);
    } catch (error) {
      if (batch.length === 1) {
        this.logger.error('recording webhook execution failed', { error, workflowId: batch[0].workflow.id });
        batch[0].reject(error);
        return;
      }
      // One bad delivery must not fail the others: write them one by one.
      for (const delivery of batch) {
        await this.flushBatch([delivery]);
      }
      return;
    }
    batch.forEach((delivery) => delivery.resolve());
    // Counting and queueing happen off the write path: the next batch is written meanwhile.
    const handOver = this.counter
      .add(batch.map(({ workflow }) => workflow as CountedWorkflow))
      .then(() => this.enqueue(executions));
    this.handingOver.add(handOver);
    void handOver.finally(() => this.handingOver.delete(handOver));
  }

  /**
   * One multi-row INSERT with the values `workflow.createExecution` gives a row; a single statement commits on its
   * own. The model's bulk hooks run (the snowflake id comes from beforeBulkCreate); per-row create/save hooks do not
   * (with `individualHooks` sequelize would insert row by row again).
   */
  private async write(batch: Delivery[]): Promise<ExecutionModel[]> {
    const ExecutionModelClass = this.plugin.db.getModel('executions');
    return (await ExecutionModelClass.bulkCreate(
      batch.map(({ workflow, context }) => ({
        workflowId: workflow.id,
        context,
        key: workflow.key,
        eventKey: randomUUID(),
        stack: [],
        parentExecutionId: null,
        dispatched: false,
        status: EXECUTION_STATUS.QUEUEING,
        manually: false,
      })),
      { returning: false },
    )) as unknown as ExecutionModel[];
  }

  private async enqueue(executions: ExecutionModel[]): Promise<void> {
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

/**
 * Keeps the workflows' `executed` counters (and the cached models the engine reads them from) as the engine's own
 * trigger would, one write at a time: counts that arrive while a write is in flight are added up into the next one.
 */
class ExecutionCounter {
  private counts = new Map<CountedWorkflow, number>();
  private waiters: Array<() => void> = [];
  private writing: Promise<void> | null = null;

  constructor(
    private readonly plugin: PluginWorkflowServer,
    private readonly logger: Logger,
  ) {}

  /** Resolves once these executions are counted (or the count failed and was logged): it never rejects. */
  add(workflows: CountedWorkflow[]): Promise<void> {
    for (const workflow of workflows) {
      this.counts.set(workflow, (this.counts.get(workflow) ?? 0) + 1);
    }
    return new Promise<void>((resolve) => {
      this.waiters.push(resolve);
      this.writing ??= this.writeAll();
    });
  }

  private async writeAll(): Promise<void> {
    try {
      while (this.counts.size) {
        const counts = this.counts;
        const waiters = this.waiters;
        this.counts = new Map();
        this.waiters = [];
        for (const [workflow, by] of counts) {
          await this.increment(workflow, by);
        }
        waiters.forEach((resolve) => resolve());
      }
    } finally {
      this.writing = null;
    }
  }

  private async increment(workflow: CountedWorkflow, by: number): Promise<void> {
    try {
      workflow.stats ??= await workflow.getStats();
      workflow.versionStats ??= await workflow.getVersionStats();
      for (const stats of [workflow.stats, workflow.versionStats]) {
        await stats.increment('executed', { by });
        // As the engine does: on PostgreSQL it does not read the counters back after incrementing them.
        if (this.plugin.db.options.dialect !== 'postgres') {
          await stats.reload();
        }
      }
    } catch (error) {
      this.logger.error('counting webhook executions failed', { error, workflowId: workflow.id, executions: by });
    }
  }
}
