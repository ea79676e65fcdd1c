import type PluginWorkflowServer from '@nocobase/plugin-workflow';

import { SerialLane } from './SerialLane';
import type { WriteLane } from './WriteLane';

/** The two fields of plugin-workflow's Dispatcher that serialize its SQLite writes (not part of its typed API). */
interface DispatcherState {
  executing: Promise<unknown> | null;
  saving: Promise<unknown> | null;
}

const ignore = () => undefined;
const GIVE_WAY_TICKS = 4;

function isDispatcherState(value: unknown): value is DispatcherState {
  return typeof value === 'object' && value !== null && 'executing' in value && 'saving' in value;
}

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
 * engine's own new events do: a burst of deliveries is acknowledged first and its executions run after it.
 */
export class EngineWriteLane implements WriteLane {
  readonly exclusive = true;
  private readonly turns = new SerialLane();

  private constructor(private readonly dispatcher: DispatcherState) {}

  /** The lane of this engine, or null when its dispatcher does not have the expected shape (another version). */
  static of(plugin: PluginWorkflowServer): EngineWriteLane | null {
    const dispatcher: unknown = (plugin as unknown as { dispatcher?: unknown }).dispatcher;
    return isDispatcherState(dispatcher) ? new EngineWriteLane(dispatcher) : null;
  }

  run<T>(write: () => Promise<T>): Promise<T> {
    return this.turns.run(async () => {
      // The check and the claim must share one synchronous step: anything resumed in between (an engine event saved
      // on the next microtask) could start writing after the check.
      for (let busy = this.engineStep(); busy; busy = this.engineStep()) {
        await busy.then(ignore, ignore);
      }
      const result = write();
      const turn = result.then(ignore, ignore);
      this.dispatcher.executing = turn;
      try {
        return await result;
      } finally {
        if (this.dispatcher.executing === turn) {
          this.dispatcher.executing = null;
        }
      }
    });
  }

  /**
   * The engine's queue looks for work on `setImmediate` after an execution is queued or finished: give it a few of
   * those to claim a turn, and wait for that step if it did.
   */
  async giveWay(): Promise<void> {
    for (let tick = 0; tick < GIVE_WAY_TICKS; tick += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.dispatcher.executing) {
        await this.engineAtRest();
        return;
      }
    }
  }

  /** The engine's step in progress (processing or saving executions), or null when it is at rest. */
  private engineStep(): Promise<unknown> | null {
    return this.dispatcher.executing ?? this.dispatcher.saving;
  }

  private async engineAtRest(): Promise<void> {
    for (let busy = this.engineStep(); busy; busy = this.engineStep()) {
      await busy.then(ignore, ignore);
    }
  }
}
