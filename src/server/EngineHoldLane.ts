import type PluginWorkflowServer from '@nocobase/plugin-workflow';

import { dispatcherOf, giveWayTo } from './engineDispatcher';
import type { DispatcherState } from './engineDispatcher';
import { PendingHandOvers } from './PendingHandOvers';
import type { WriteLane } from './WriteLane';

const ignore = () => undefined;

/**
 * Databases with row-level locking (PostgreSQL, MySQL): the plugin's writes run at once, alongside the engine's, but
 * while any of them is in flight the engine's queue does not start its next execution (it hands one out only while
 * the dispatcher's `executing` is empty); the execution it is running finishes undisturbed.
 *
 * With GroupCommitRecorder's turns this gives a burst the order SQLite gets from EngineWriteLane: deliveries are
 * acknowledged first, batch after batch, and the engine takes a step between two turns of at most 200 ms, so
 * executions still run under a sustained load.
 */
export class EngineHoldLane implements WriteLane {
  readonly holdsEngine = true;
  private readonly handOvers = new PendingHandOvers();
  private writes = 0;
  private hold: { settled: Promise<void>; end: () => void } | null = null;

  private constructor(private readonly dispatcher: DispatcherState) {}

  /** The lane of this engine, or null when its dispatcher does not have the expected shape (another version). */
  static of(plugin: PluginWorkflowServer): EngineHoldLane | null {
    const dispatcher = dispatcherOf(plugin);
    return dispatcher ? new EngineHoldLane(dispatcher) : null;
  }

  async run<T>(write: () => Promise<T>): Promise<T> {
    const owed = this.hold ? null : this.handOvers.payStep(this.dispatcher);
    if (owed) {
      await owed;
    }
    this.writes += 1;
    this.take();
    try {
      return await write();
    } finally {
      this.writes -= 1;
      if (this.writes === 0) {
        this.let();
      }
    }
  }

  giveWay(): Promise<void> {
    return giveWayTo(this.dispatcher);
  }

  handOver(task: () => void): void {
    this.handOvers.offer(task, this.hold !== null);
  }

  private take(): void {
    if (this.hold) {
      return;
    }
    let end!: () => void;
    const ours = new Promise<void>((resolve) => (end = resolve));
    // The step in progress keeps running; the hold lasts until both it and the writes are done. The dispatcher clears
    // `executing` only while it still holds its own step's promise, so it leaves this one in place.
    const running = this.dispatcher.executing;
    const settled = Promise.all([running?.then(ignore, ignore), ours]).then(ignore);
    this.dispatcher.executing = settled;
    this.hold = { settled, end };
  }

  private let(): void {
    if (!this.hold) {
      return;
    }
    const { settled, end } = this.hold;
    this.hold = null;
    end();
    void settled.then(() => {
      if (this.dispatcher.executing === settled) {
        this.dispatcher.executing = null;
      }
    });
    this.handOvers.flush();
  }
}
