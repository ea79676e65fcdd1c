import type PluginWorkflowServer from '@nocobase/plugin-workflow';

import { dispatcherOf, engineStep, giveWayTo } from './engineDispatcher';
import type { DispatcherState } from './engineDispatcher';
import { PendingHandOvers } from './PendingHandOvers';
import { SerialLane } from './SerialLane';
import type { WriteLane } from './WriteLane';

const ignore = () => undefined;

/**
 * SQLite has one writer, and a write from outside the engine while it processes an execution deadlocks with the
 * engine's deferred transactions (each side waits for the other's lock). The engine itself avoids that by creating
 * executions only between two executions it processes: it waits for its `executing` promise, and its queue hands out
 * the next execution only while `executing` is empty.
 *
 * This lane takes the same turn: a write waits until the engine neither processes nor creates an execution, then
 * holds `executing` while it runs, so the engine's next step waits for it. The plugin's writes are short and never
 * call back into the engine, so holding the turn cannot deadlock. They also take priority over the next queued
 * execution (the queue looks for work on the next `setImmediate`, after this lane's promise callbacks), as the
 * engine's own new events do: a burst of deliveries is acknowledged first and its executions run after it, the engine
 * taking a step whenever executions were handed to it during a turn.
 */
export class EngineWriteLane implements WriteLane {
  readonly holdsEngine = true;
  private readonly turns = new SerialLane();
  private readonly handOvers = new PendingHandOvers();
  private holding = false;

  private constructor(private readonly dispatcher: DispatcherState) {}

  /** The lane of this engine, or null when its dispatcher does not have the expected shape (another version). */
  static of(plugin: PluginWorkflowServer): EngineWriteLane | null {
    const dispatcher = dispatcherOf(plugin);
    return dispatcher ? new EngineWriteLane(dispatcher) : null;
  }

  run<T>(write: () => Promise<T>): Promise<T> {
    return this.turns.run(async () => {
      await this.handOvers.payStep(this.dispatcher);
      // The check and the claim must share one synchronous step: anything resumed in between (an engine event saved
      // on the next microtask) could start writing after the check.
      for (let busy = engineStep(this.dispatcher); busy; busy = engineStep(this.dispatcher)) {
        await busy.then(ignore, ignore);
      }
      const result = write();
      const turn = result.then(ignore, ignore);
      this.dispatcher.executing = turn;
      this.holding = true;
      try {
        return await result;
      } finally {
        this.holding = false;
        if (this.dispatcher.executing === turn) {
          this.dispatcher.executing = null;
        }
        this.handOvers.flush();
      }
    });
  }

  giveWay(): Promise<void> {
    return giveWayTo(this.dispatcher);
  }

  handOver(task: () => void): void {
    this.handOvers.offer(task, this.holding);
  }
}
