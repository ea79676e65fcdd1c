import { randomUUID } from 'node:crypto';

import type { Model, Transaction, Transactionable } from '@nocobase/database';
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
  getStats(options: Transactionable): Promise<Model>;
  getVersionStats(options: Transactionable): Promise<Model>;
};

interface Delivery {
  workflow: WorkflowModel;
  context: WebhookContext;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 200;
const QUEUE_TASK_MAX_RETRIES = 2;

/**
 * Records async deliveries as queueing executions before they are acknowledged, so that a 2xx always has a row the
 * engine's recovery finds after a crash (the engine's own async trigger keeps the event in memory first).
 *
 * Deliveries that arrive while a write is in flight are grouped into the next write: one transaction (one commit)
 * for many requests, without waiting for a timer, so a lone request pays no extra latency. For databases with
 * row-level locking (PostgreSQL, MySQL); SQLite uses EngineQueueRecorder.
 */
export class GroupCommitRecorder implements DeliveryRecorder {
  private pending: Delivery[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly plugin: PluginWorkflowServer,
    private readonly logger: Logger,
  ) {}

  record(workflow: WorkflowModel, context: WebhookContext): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ workflow, context, resolve, reject });
      this.flushing ??= this.flushAll();
    });
  }

  /** Waits until every delivery handed over so far is written and queued. */
  async drain(): Promise<void> {
    while (this.flushing) {
      await this.flushing;
    }
  }

  private async flushAll(): Promise<void> {
    try {
      while (this.pending.length) {
        const batch = this.pending.splice(0, MAX_BATCH);
        await this.flushBatch(batch);
      }
    } finally {
      this.flushing = null;
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
    for (const execution of executions) {
      await this.enqueue(execution);
    }
  }

  private write(batch: Delivery[]): Promise<ExecutionModel[]> {
    return this.plugin.db.sequelize.transaction((transaction) => this.createExecutions(batch, transaction));
  }

  private async createExecutions(batch: Delivery[], transaction: Transaction): Promise<ExecutionModel[]> {
    const executions: ExecutionModel[] = [];
    for (const { workflow, context } of batch) {
      const execution = await workflow.createExecution(
        {
          context,
          key: workflow.key,
          eventKey: randomUUID(),
          stack: [],
          parentExecutionId: null,
          dispatched: false,
          status: EXECUTION_STATUS.QUEUEING,
          manually: false,
        },
        { transaction },
      );
      executions.push(execution as ExecutionModel);
    }
    await this.countExecutions(batch, transaction);
    return executions;
  }

  /** Keeps the workflow's counters (and the cached models the engine reads them from) as its own trigger would. */
  private async countExecutions(batch: Delivery[], transaction: Transaction): Promise<void> {
    const counts = new Map<CountedWorkflow, number>();
    for (const { workflow } of batch) {
      const counted = workflow as CountedWorkflow;
      counts.set(counted, (counts.get(counted) ?? 0) + 1);
    }
    for (const [workflow, by] of counts) {
      workflow.stats ??= await workflow.getStats({ transaction });
      workflow.versionStats ??= await workflow.getVersionStats({ transaction });
      for (const stats of [workflow.stats, workflow.versionStats]) {
        await stats.increment('executed', { by, transaction });
        await stats.reload({ transaction });
      }
    }
  }

  private async enqueue(execution: ExecutionModel): Promise<void> {
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
