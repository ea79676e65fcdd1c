import type { Context } from 'koa';
import type PluginWorkflowServer from '@nocobase/plugin-workflow';
import type { Processor, WorkflowModel } from '@nocobase/plugin-workflow';

import type { WebhookContext } from '../common/types';
import { isDuplicateEventKey } from './IdempotencyStore';
import type { ResponseSlot } from './ResponseSlot';

/** What a synchronous run hands to the engine's processor: its instructions read them from `processor.options`. */
export interface SyncRunOptions {
  httpContext: Context;
  webhookResponse: ResponseSlot;
  eventKey?: string;
}

/** The execution of a synchronous delivery could not be stored (the database refused or is down). */
export class SyncRecordError extends Error {
  constructor(cause: unknown) {
    super('The execution of a synchronous webhook delivery could not be stored', { cause });
    this.name = 'SyncRecordError';
  }
}

/** Runs a synchronous webhook delivery inside its request. */
export interface SyncRuns {
  /**
   * The processor that ran it, or null when the engine refused the event or the run failed. Rejects with the
   * database's unique constraint error when another execution holds `eventKey`, and with a SyncRecordError when the
   * execution could not be stored.
   */
  run(workflow: WorkflowModel, context: WebhookContext, options: SyncRunOptions): Promise<Processor | null>;
  /** Waits for the bookkeeping runs leave behind them (the workflows' counters). */
  drain(): Promise<void>;
}

/** Through the engine's own `trigger`: the execution is created as queueing, counted, started, then run. */
export class EngineSyncRuns implements SyncRuns {
  constructor(private readonly plugin: PluginWorkflowServer) {}

  async run(workflow: WorkflowModel, context: WebhookContext, options: SyncRunOptions): Promise<Processor | null> {
    let failure: unknown;
    const processor = await this.plugin.trigger(workflow, context, {
      ...options,
      onTriggerFail: (_workflow: WorkflowModel, _context: unknown, _options: unknown, error: unknown) => {
        failure = error;
      },
    });
    if (isDuplicateEventKey(failure)) {
      throw failure;
    }
    return processor || null;
  }

  async drain(): Promise<void> {}
}
