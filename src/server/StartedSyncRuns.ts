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
  const candidate = value as Partial<ProcessingDispatcher> | null;
  return typeof candidate?.ready === 'boolean' && typeof candidate.process === 'function';
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
 * execution. The counters are incremented after the answer with the async deliveries' (ExecutionCounter), except for
 * a version's first execution, counted before it runs, as the engine does (a counted version is frozen).
 *
 * What `triggerSync` checks besides is moot for a webhook: the trigger's `validateEvent` is the base one (true), and a
 * request has no call stack of executions. The engine's own path is kept for an app that is not ready yet or a
 * workflow disabled while its delivery waited (the engine refuses the event and says so), and for a Dispatcher of
 * another shape (`of` returns null).
 */
export class StartedSyncRuns implements SyncRuns {
  private readonly engine: EngineSyncRuns;
  private readonly running = new Set<Promise<Processor | null>>();

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

  run(workflow: WorkflowModel, context: WebhookContext, options: SyncRunOptions): Promise<Processor | null> {
    // The engine refuses (and logs) an event while the app is not ready, or once the workflow was disabled.
    if (!this.dispatcher.ready || !workflow.enabled) {
      return this.engine.run(workflow, context, options);
    }
    const run = this.start(workflow, context, options);
    this.running.add(run);
    const settled = () => this.running.delete(run);
    run.then(settled, settled);
    return run;
  }

  /** Waits for the runs in progress (on PostgreSQL the engine's own stop does not), then for their counts. */
  async drain(): Promise<void> {
    while (this.running.size) {
      await Promise.allSettled(this.running);
    }
    await this.counter.drain();
  }

  private async start(workflow: WorkflowModel, context: WebhookContext, options: SyncRunOptions): Promise<Processor | null> {
    const execution = await this.create(workflow, context, options.eventKey);
    await this.counter.addBeforeRun(workflow);
    try {
      return await this.dispatcher.process(execution, undefined, options);
    } catch (error) {
      this.plugin.getLogger(workflow.id).error(`execution (${execution.id}) error: ${(error as Error)?.message}`, { error });
      return null;
    }
  }

  private async create(workflow: WorkflowModel, context: WebhookContext, eventKey?: string): Promise<ExecutionModel> {
    const now = new Date();
    let execution: ExecutionModel;
    try {
      execution = await workflow.createExecution({
        context,
        key: workflow.key,
        eventKey: eventKey ?? randomUUID(),
        parentExecutionId: null,
        dispatched: true,
        status: EXECUTION_STATUS.STARTED,
        createdAt: now,
        startedAt: now,
        expiresAt: this.timeouts.getExpiresAt({ workflow }, now),
      });
    } catch (error) {
      if (isDuplicateEventKey(error)) {
        throw error;
      }
      this.logger.error('recording synchronous webhook execution failed', { error, workflowId: workflow.id });
      throw new SyncRecordError(error);
    }
    this.plugin.getLogger(workflow.id).info(`execution of workflow ${workflow.id} created as ${execution.id}`);
    // The run reads its context as stored, as the engine's reload before a run gives it (no shared objects either).
    execution.set('context', JSON.parse(JSON.stringify(context)), { raw: true });
    execution.workflow = workflow;
    return execution;
  }
}
