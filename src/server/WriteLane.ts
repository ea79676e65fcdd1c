/** Where the plugin's own database writes run: at once, or in turns with the workflow engine (SQLite). */
export interface WriteLane {
  run<T>(write: () => Promise<T>): Promise<T>;
  /** True when a turn keeps the engine waiting (SQLite): writers should batch within a turn, and give way. */
  readonly exclusive: boolean;
  /** After a long turn: resolves once the engine has taken a step, if it had one to take. */
  giveWay(): Promise<void>;
}

/** Databases with row-level locking: writes run at once, alongside the engine's. */
export const DIRECT_LANE: WriteLane = {
  run: (write) => write(),
  exclusive: false,
  giveWay: async () => undefined,
};
