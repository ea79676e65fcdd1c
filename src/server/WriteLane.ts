/**
 * Where the plugin's own database writes run: at once, in turns with the workflow engine (SQLite), or at once while
 * keeping the engine from starting its next execution (EngineHoldLane).
 */
export interface WriteLane {
  run<T>(write: () => Promise<T>): Promise<T>;
  /** True when a write keeps the engine from starting its next execution: writers batch within a turn, and give way. */
  readonly holdsEngine: boolean;
  /** After a long turn: resolves once the engine has taken a step, if it had one to take. */
  giveWay(): Promise<void>;
  /**
   * Runs `task`, which hands work to the engine's queue, once no write of this lane holds the engine: at once, or when
   * the hold ends, and then the lane's next write waits for the engine to take a step. The queue looks for work when
   * a message arrives; one arriving during a hold would find the engine held and not be looked at again before the
   * queue's next poll, and a burst of writes would leave the engine no gap to take it in.
   */
  handOver(task: () => void): void;
}

/** Databases with row-level locking: writes run at once, alongside the engine's. */
export const DIRECT_LANE: WriteLane = {
  run: (write) => write(),
  holdsEngine: false,
  giveWay: async () => undefined,
  handOver: (task) => task(),
};
