import { randomUUID } from 'node:crypto';

import type { Logger } from '@nocobase/logger';
import type PluginWorkflowServer from '@nocobase/plugin-workflow';
import { EXECUTION_STATUS } from '@nocobase/plugin-workflow';
import type { ExecutionModel, Processor, WorkflowModel } from '@nocobase/plugin-workflow';

import type { WebhookContext } from '../common/types';
import type { ExecutionCounter } from './ExecutionCounter';
import { isDuplicateEventKey } from './IdempotencyStore';
import { EngineSyncRuns, SyncRecordError } from './SyncRuns';
import type { SyncRunOptions, SyncRuns } from './SyncRuns';

/** The parts of plugin-workflow's Dispatcher this reads (not part of its typed API). */
interface ProcessingDispatcher {
  ready: boolean;
  process(execution: ExecutionModel, job: undefined, options: object): Promise<Processor | null>;
}

interface TimeoutManager {
  getExpiresAt(execution: { workflow: WorkflowModel }, startedAt: Date): Date | null;
}

function isProcessingDispatcher(value: unknown): value is ProcessingDispatcher {
  return (
    typeof value === 'object' &&
    value !== null &&
    'ready' in value &&
    typeof (value as { process?: unknown }).process === 'function'
  );
}

function isTimeoutManager(value: unknown): value is TimeoutManager {
  return typeof (value as { getExpiresAt?: unknown } | null)?.getExpiresAt === 'function';
}

/**
 * Runs a synchronous delivery with half the engine's commits before its answer. The engine's `triggerSync` inserts the
 * execution as queueing, increments two counters (two UPDATEs and two reads), then marks the execution started in a
 * transaction of its own (a read, an UPDATE, a read): six commits on a SQLite file with those of the run. Here the
 * execution is inserted already started, as the engine's `enter` would leave it (dispatched, `startedAt`, `expiresAt`
 * from the workflow's timeout), and handed to the engine's own `process`, which locks, runs and exits it as for any
 * execution; the counters are incremented after the answer with the async deliveries' (ExecutionCounter).
 *
 * What `triggerSync` checks besides is moot for a webhook: the trigger's `validateEvent` is the base one (true), and a
 * request has no call stack of executions. The engine's own path is kept for an app that is not ready yet (the
 * engine refuses the event and says so) and for a Dispatcher of another shape (`of` returns null).
 */
export class StartedSyncRuns implements SyncRuns {
  private readonly engine: EngineSyncRuns;

  private constructor(
    private readonly plugin: PluginWorkflowServer,
    private readonly dispatcher: ProcessingDispatcher,
    private readonly timeouts: TimeoutManager,
    private readonly counter: ExecutionCounter,
    private readonly logger: Logger,
  ) {
    this.engine = new EngineSyncRuns(plugin);
  }

  static of(plugin: PluginWorkflowServer, counter: ExecutionCounter, logger: Logger): StartedSyncRuns | null {
    const { dispatcher, timeoutManager } = plugin as unknown as { dispatcher?: unknown; timeoutManager?: unknown };
    if (!isProcessingDispatcher(dispatcher) || !isTimeoutManager(timeoutManager)) {
      return null;
    }
    return new StartedSyncRuns(plugin, dispatcher, timeoutManager, counter, logger);
  }

  async run(workflow: WorkflowModel, context: WebhookContext, options: SyncRunOptions): Promise<Processor | null> {
    if (!this.dispatcher.ready) {
      return this.engine.run(workflow, context, options);
    }
    const execution = await this.create(workflow, context, options.eventKey);
    this.counter.add([workflow]);
    try {
      return await this.dispatcher.process(execution, undefined, options);
    } catch (error) {
      this.plugin.getLogger(workflow.id).error(`execution (${execution.id}) error: ${(error as Error)?.message}`, { error });
      return null;
    }
  }

  drain(): Promise<void> {
    return this.counter.drain();
  }

  private async create(workflow: WorkflowModel, context: WebhookContext, eventKey?: string): Promise<ExecutionModel> {
    const startedAt = new Date();
    let execution: ExecutionModel;
    try {
      execution = await workflow.createExecution({
        context,
        key: workflow.key,
        eventKey: eventKey ?? randomUUID(),
        stack: [],
        parentExecutionId: null,
        dispatched: true,
        status: EXECUTION_STATUS.STARTED,
        startedAt,
        expiresAt: this.timeouts.getExpiresAt({ workflow }, startedAt),
      });
    } catch (error) {
      if (isDuplicateEventKey(error)) {
        throw error;
      }
      this.logger.error('recording synchronous webhook execution failed', { error, workflowId: workflow.id });
      throw new SyncRecordError(error);
    }
    this.plugin.getLogger(workflow.id).info(`execution of workflow ${workflow.id} created as ${execution.id}`);
    execution.workflow = workflow;
    return execution;
  }
}
