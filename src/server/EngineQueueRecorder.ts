import { randomUUID } from 'node:crypto';

import type { Transactionable } from '@nocobase/database';
import type { Logger } from '@nocobase/logger';
import type PluginWorkflowServer from '@nocobase/plugin-workflow';
import type { ExecutionModel, WorkflowModel } from '@nocobase/plugin-workflow';

import type { WebhookContext } from '../common/types';
import type { ExecutionId } from './DeliveryOutcome';
import type { DeliveryRecorder } from './DeliveryRecorder';

interface Waiter {
  resolve: (executionId: ExecutionId) => void;
  reject: (error: unknown) => void;
  timer: NodeJS.Timeout;
}

const RECORD_TIMEOUT_MS = 30_000;

/**
 * SQLite has one writer: a write from outside the engine while it processes an execution deadlocks with the engine's
 * deferred transactions (each side waits for the other's lock, then retries). The engine avoids that by creating
 * executions only between two executions it processes. So on SQLite the delivery goes through the engine's own async
 * trigger, with a known event key, and is acknowledged when that execution row has been committed.
 */
export class EngineQueueRecorder implements DeliveryRecorder {
  private readonly waiting = new Map<string, Waiter>();

  constructor(
    private readonly plugin: PluginWorkflowServer,
    private readonly logger: Logger,
  ) {
    plugin.db.on('executions.afterCreate', this.onExecutionCreated);
  }

  record(workflow: WorkflowModel, context: WebhookContext, eventKey: string = randomUUID()): Promise<ExecutionId> {
    return new Promise<ExecutionId>((resolve, reject) => {
      const timer = setTimeout(
        () => this.settle(eventKey, new Error(`execution not recorded within ${RECORD_TIMEOUT_MS} ms`)),
        RECORD_TIMEOUT_MS,
      );
      this.waiting.set(eventKey, { resolve, reject, timer });
      try {
        this.plugin.trigger(workflow, context, {
          eventKey,
          onTriggerFail: (_workflow, _context, _options, error) =>
            this.settle(eventKey, error ?? new Error('the workflow engine refused the event')),
        });
      } catch (error) {
        this.settle(eventKey, error);
      }
    });
  }

  async drain(): Promise<void> {
    // Deliveries still waiting are in the engine's hands; it drains its own event list before the app stops.
  }

  private readonly onExecutionCreated = (execution: ExecutionModel, { transaction }: Transactionable) => {
    const eventKey = execution.get('eventKey') as string;
    if (!this.waiting.has(eventKey)) {
      return;
    }
    if (transaction) {
      transaction.afterCommit(() => this.settle(eventKey, undefined, execution.id));
    } else {
      this.settle(eventKey, undefined, execution.id);
    }
  };

  private settle(eventKey: string, error?: unknown, executionId?: ExecutionId): void {
    const waiter = this.waiting.get(eventKey);
    if (!waiter) {
      return;
    }
    this.waiting.delete(eventKey);
    clearTimeout(waiter.timer);
    if (error) {
      this.logger.error('recording webhook execution failed', { error });
      waiter.reject(error);
    } else {
      waiter.resolve(executionId as ExecutionId);
    }
  }
}
