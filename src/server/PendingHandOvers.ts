import { giveWayTo } from './engineDispatcher';
import type { DispatcherState } from './engineDispatcher';

/**
 * While writes keep coming, the engine is owed at most one step per this long. A step on a SQLite file (one execution,
 * a few commits) takes tens of milliseconds: owed after every hand-over (each count of executions, every 100 ms, and
 * each turn) it took 13 steps a second and left the acknowledgements 139 req/s instead of about 450 (bench, profiled).
 */
const STEP_SPACING_MS = 200;

/**
 * Hand-overs to the engine's queue that wait for a hold on the engine to end, and the step the engine is owed after
 * them: the queue looks for work on the `setImmediate` after a message arrives, so the next write must not take the
 * engine before then.
 */
export class PendingHandOvers {
  private tasks: Array<() => void> = [];
  private stepOwed = false;
  private lastStepAt = -Infinity;

  /** Runs `task` at once when the engine is not held, else keeps it for the end of the hold. */
  offer(task: () => void, held: boolean): void {
    if (held) {
      this.tasks.push(task);
    } else {
      task();
    }
  }

  /**
   * At the end of a hold: runs the waiting hand-overs, and owes the engine a step if there were any and its last step
   * was long enough ago. Messages handed over without a step wait in the queue for the next one.
   */
  flush(): void {
    if (!this.tasks.length) {
      return;
    }
    const tasks = this.tasks;
    this.tasks = [];
    if (performance.now() - this.lastStepAt >= STEP_SPACING_MS) {
      this.stepOwed = true;
    }
    tasks.forEach((task) => task());
  }

  /** Before a write takes the engine: the engine's step it is owed (null when none is owed, so that it need not wait). */
  payStep(dispatcher: DispatcherState): Promise<void> | null {
    if (!this.stepOwed) {
      return null;
    }
    this.stepOwed = false;
    this.lastStepAt = performance.now();
    return giveWayTo(dispatcher);
  }
}
