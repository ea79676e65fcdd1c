/** Where the plugin's own database writes run: at once, or in turns with the workflow engine (SQLite). */
export interface WriteLane {
  run<T>(write: () => Promise<T>): Promise<T>;
  /** True when a turn keeps the engine waiting (SQLite): writers should batch within a turn, and give way. */
  readonly exclusive: boolean;
  /**
   * After a long turn: lets the engine take the steps it has to take, for about `forMs` (at least one step), and
   * resolves once it is at rest or the time is up.
   */
  giveWay(forMs?: number): Promise<void>;
}

/** Databases with row-level locking: writes run at once, alongside the engine's. */
export const DIRECT_LANE: WriteLane = {
  run: (write) => write(),
  exclusive: false,
  giveWay: async () => undefined,
};
