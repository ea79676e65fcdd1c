/** Command line of `npm run bench -- [flags]` and the sizes of a full and a quick run. */
export interface BenchOptions {
  quick: boolean;
  cpuProf: boolean;
  /** Measure Node-RED and n8n when installed (default: yes in a full run, no in a quick one). */
  peers: boolean;
  /** Repeat floor/async/sync with LOGGER_LEVEL=error (default: yes in a full run, no in a quick one). */
  loggerVariant: boolean;
  /** Repeat async/sync on SQLite in memory, to tell database locking from CPU cost (default like loggerVariant). */
  memoryDbVariant: boolean;
  /** A fresh app per scenario group, so that one group's queued executions do not run during the next. */
  isolate: boolean;
  durationSeconds: number;
  warmupSeconds: number;
  drainRequests: number;
  bodySizeSeconds: number;
  memorySeconds: number;
  /** How long to let the queue finish after a load before the next measurement (0 = check once). */
  settleTimeoutMs: number;
  /** How long the drain waits for every accepted execution; plugin-workflow recovers stuck ones every 5 minutes. */
  drainTimeoutMs: number;
  args: string[];
}

const USAGE = `usage: npm run bench -- [--quick] [--cpu-prof] [--peers|--no-peers] [--logger-variant|--no-logger-variant]
  --quick              3 s per measurement, 50 drain requests, 10 s memory load, one app for all (about a minute)
  --cpu-prof           also profile the app (node --cpu-prof) during an async webhook load and summarize it
  --peers              measure Node-RED and n8n (installed by npm run bench:peers); default on unless --quick
  --logger-variant     repeat floor/async/sync with LOGGER_LEVEL=error; default on unless --quick
  --memory-db-variant  repeat async/sync on SQLite :memory:; default on unless --quick`;

export function parseOptions(args: string[]): BenchOptions {
  const known = ['--quick', '--cpu-prof', '--peers', '--no-peers', '--logger-variant', '--no-logger-variant', '--memory-db-variant', '--no-memory-db-variant'];
  const unknown = args.filter((arg) => !known.includes(arg));
  if (unknown.length || args.includes('--help')) {
    console.error(USAGE);
    process.exit(unknown.length ? 2 : 0);
  }
  const quick = args.includes('--quick');
  const flag = (name: string) => (args.includes(`--${name}`) ? true : args.includes(`--no-${name}`) ? false : !quick);
  return {
    quick,
    cpuProf: args.includes('--cpu-prof'),
    peers: flag('peers'),
    loggerVariant: flag('logger-variant'),
    memoryDbVariant: flag('memory-db-variant'),
    isolate: !quick,
    durationSeconds: quick ? 3 : 15,
    warmupSeconds: quick ? 0 : 2,
    drainRequests: quick ? 50 : 5000,
    bodySizeSeconds: quick ? 3 : 15,
    memorySeconds: quick ? 10 : 60,
    settleTimeoutMs: quick ? 0 : 30_000,
    drainTimeoutMs: quick ? 5_000 : 420_000,
    args,
  };
}
