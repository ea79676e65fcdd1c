import type { Model, Transactionable } from '@nocobase/database';
import type { Logger } from '@nocobase/logger';
import type PluginWorkflowServer from '@nocobase/plugin-workflow';
import type { WorkflowModel } from '@nocobase/plugin-workflow';

import type { WriteLane } from './WriteLane';

/** The counters plugin-workflow keeps on its workflow models (not declared in its types). */
export type CountedWorkflow = WorkflowModel & {
  stats?: Model;
  versionStats?: Model;
  getStats(options?: Transactionable): Promise<Model>;
  getVersionStats(options?: Transactionable): Promise<Model>;
};

const COUNT_SPACING_MS = 100;
const nothing = () => undefined;

/**
 * Keeps the workflows' `executed` counters (and the cached models the engine reads them from) as the engine's own
 * trigger would, one write at a time: counts that arrive while a write is in flight are added up into the next one,
 * which under a sustained load waits COUNT_SPACING_MS so that it adds up more (each write is two UPDATEs; the
 * executions of those batches reach the engine that much later). A lone delivery is counted at once.
 */
export class ExecutionCounter {
  private counts = new Map<CountedWorkflow, number>();
  /** Versions known to have been counted at least once: their later executions are counted in batches. */
  private readonly counted = new WeakSet<WorkflowModel>();
  private waiters: Array<() => void> = [];
  private writing: Promise<void> | null = null;

  constructor(
    private readonly plugin: PluginWorkflowServer,
    private readonly logger: Logger,
    private readonly lane: WriteLane,
  ) {}

  /** Calls `counted` once these executions are counted (or the count failed and was logged), within the lane's turn. */
  add(workflows: WorkflowModel[], counted: () => void = nothing): void {
    for (const workflow of workflows as CountedWorkflow[]) {
      this.counts.set(workflow, (this.counts.get(workflow) ?? 0) + 1);
    }
    this.waiters.push(counted);
    this.writing ??= this.writeAll();
  }

  /**
   * Counts an execution that is about to run: at once when it is the first of its workflow version, else with the
   * next batch. plugin-workflow freezes a version whose `versionStats.executed` is above 0 (its nodes and config can
   * no longer be changed), and the engine counts before it runs an execution: a version must not run unfrozen. Writes
   * directly, so on SQLite it must be called within the write lane's turn.
   */
  async addBeforeRun(workflow: WorkflowModel): Promise<void> {
    const counted = workflow as CountedWorkflow;
    if (!this.counted.has(workflow)) {
      try {
        counted.versionStats ??= await counted.getVersionStats();
      } catch (error) {
        this.logger.error('reading webhook workflow counters failed', { error, workflowId: workflow.id });
      }
      this.counted.add(workflow);
      if (counted.versionStats && !(Number(counted.versionStats.get('executed')) > 0)) {
        await this.increment(counted, 1);
        return;
      }
    }
    this.add([workflow]);
  }

  /** Waits until every count added so far is written (or its failure logged). */
  async drain(): Promise<void> {
    while (this.writing) {
      await this.writing;
    }
  }

  private async writeAll(): Promise<void> {
    try {
      while (this.counts.size) {
        const counts = this.counts;
        const waiters = this.waiters;
        this.counts = new Map();
        this.waiters = [];
        let told = false;
        const tell = () => {
          if (!told) {
            told = true;
            waiters.forEach((counted) => counted());
          }
        };
        try {
          await this.lane.run(async () => {
            for (const [workflow, by] of counts) {
              await this.increment(workflow, by);
            }
            // Still within the turn: the lane hands the executions to the engine as the turn ends, then owes it a step.
            tell();
          });
        } finally {
          tell();
        }
        if (this.counts.size) {
          await new Promise((resolve) => setTimeout(resolve, COUNT_SPACING_MS));
        }
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
