import { giveWayTo } from './engineDispatcher';
import type { DispatcherState } from './engineDispatcher';

/**
 * Hand-overs to the engine's queue that wait for a hold on the engine to end, and the step the engine is owed after
 * them: the queue looks for work on the `setImmediate` after a message arrives, so the next write must not take the
 * engine before then.
 */
export class PendingHandOvers {
  private tasks: Array<() => void> = [];
  private stepOwed = false;

  add(task: () => void): void {
    this.tasks.push(task);
  }

  /** At the end of a hold: runs the waiting hand-overs, and owes the engine a step if there were any. */
  flush(): void {
    if (!this.tasks.length) {
      return;
    }
    const tasks = this.tasks;
    this.tasks = [];
    this.stepOwed = true;
    tasks.forEach((task) => task());
  }

  /** Before a write takes the engine: the engine's step it is owed (null when none is owed, so that it need not wait). */
  payStep(dispatcher: DispatcherState): Promise<void> | null {
    if (!this.stepOwed) {
      return null;
    }
    this.stepOwed = false;
    return giveWayTo(dispatcher);
  }
}
