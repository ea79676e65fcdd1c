/** Command line of `npm run bench -- [flags]` and the sizes of a full and a quick run. */
import type { Warmup } from './load';

export interface BenchOptions {
  quick: boolean;
  cpuProf: boolean;
  /**
   * Only the CPU profiles (with --postgres, PostgreSQL's too), at the full window unless --quick: to compare code
   * changes on the parsing share without a whole run. The report goes to bench/.tmp/, not over the last full run's.
   */
  profileOnly: boolean;
  /** Measure Node-RED and n8n when installed (default: yes in a full run, no in a quick one). */
  peers: boolean;
  /** Repeat floor/async/sync with LOGGER_LEVEL=error (default: yes in a full run, no in a quick one). */
  loggerVariant: boolean;
  /** Repeat async/sync on SQLite in memory, to tell database locking from CPU cost (default like loggerVariant). */
  memoryDbVariant: boolean;
  /** Repeat floor/async/sync on a SQLite file in WAL journal mode, an operator's choice (default like loggerVariant). */
  walVariant: boolean;
  /**
   * Measure floor, async, sync and drain again on a PostgreSQL app (where the plugin groups deliveries into one
   * commit): 'auto' (a full run's default) when PostgreSQL answers, skipped otherwise.
   */
  postgres: 'yes' | 'no' | 'auto';
  /** A fresh app per scenario group, so that one group's queued executions do not run during the next. */
  isolate: boolean;
  durationSeconds: number;
  /**
   * Before each throughput figure (bare Node, the floor, the webhooks, the peers): that many requests of its own
   * load, or what the cap allows a slower target. The same rule for every target: a sync webhook or n8n (about 100
   * a second) gets the cap's worth.
   */
  warmup: Warmup;
  /** Before each body-size and feature-cost figure, which are compared with their neighbours in the same window. */
  warmupSeconds: number;
  /**
   * Unmeasured floor requests before an app's first figure: a fresh app keeps getting faster for about ten seconds
   * (JIT, caches), and a floor measured cold would flatter every ratio to it.
   */
  appWarmupSeconds: number;
  /**
   * Requests of the profiled webhook's own load before a profile's window. V8 optimizes a function after some
   * thousands of calls, so code that runs once a request (the webhook's parsing and mapping) is the last to be: the
   * headers' copy ran unoptimized for the first 10,000 requests of a fresh app (`%GetOptimizationStatus`), and took
   * 6-7 µs a request then against about 1 µs afterwards (a clock around it). A 2 s warm-up had left most of the
   * window to that; a server that has been up a while runs the optimized code. A count, not a duration: the tiering
   * counts calls, and the machine's speed varies.
   */
  profileWarmupRequests: number;
  /** The same for the sync webhook's profile. */
  profileSyncWarmupRequests: number;
  drainRequests: number;
  bodySizeSeconds: number;
  memorySeconds: number;
  /** A short async burst, run to the end, before the memory baseline (0 = none). */
  memoryWarmupSeconds: number;
  /** How long the memory scenario waits for its load's executions to run before its "after" figure. */
  memoryDrainTimeoutMs: number;
  /** How long to let the queue finish after a load before the next measurement (0 = check once). */
  settleTimeoutMs: number;
  /** How long the drain waits for every accepted execution; plugin-workflow recovers stuck ones every 5 minutes. */
  drainTimeoutMs: number;
  args: string[];
}

const USAGE = `usage: npm run bench -- [--quick] [--cpu-prof] [--profile-only] [--peers|--no-peers] [--logger-variant|--no-logger-variant]
                     [--memory-db-variant|--no-memory-db-variant] [--wal-variant|--no-wal-variant]
                     [--postgres|--no-postgres]
  --quick              3 s per measurement after 2,000 requests or 1 s of warm-up, 50 drain requests, 10 s memory load, one app for all
                       (about two minutes)
  --cpu-prof           also profile the app (node --cpu-prof) during an async webhook load and summarize it
  --profile-only       only the profiles of --cpu-prof (SQLite file; PostgreSQL with --postgres), 15 s windows
                       unless --quick; writes bench/.tmp/results.json and RESULTS.md, not bench/'s
  --peers              measure Node-RED and n8n (installed by npm run bench:peers); default on unless --quick
  --logger-variant     repeat floor/async/sync with LOGGER_LEVEL=error; default on unless --quick
  --memory-db-variant  repeat async/sync on SQLite :memory:; default on unless --quick
  --wal-variant        repeat floor/async/sync on a SQLite file in WAL journal mode; default on unless --quick
  --postgres           repeat floor/async/sync/drain on PostgreSQL (DB_HOST/DB_PORT/DB_USER/DB_PASSWORD, default
                       127.0.0.1:5432 postgres/postgres; database BENCH_PG_DATABASE, default webhook_bench, dropped and
                       created per app); default on when PostgreSQL answers unless --quick; with --cpu-prof, also
                       profiles the PostgreSQL app under async load`;

export function parseOptions(args: string[]): BenchOptions {
  const known = ['--quick', '--cpu-prof', '--profile-only', '--peers', '--no-peers', '--logger-variant', '--no-logger-variant', '--memory-db-variant', '--no-memory-db-variant', '--wal-variant', '--no-wal-variant', '--postgres', '--no-postgres'];
  const unknown = args.filter((arg) => !known.includes(arg));
  if (unknown.length || args.includes('--help')) {
    console.error(USAGE);
    process.exit(unknown.length ? 2 : 0);
  }
  const quick = args.includes('--quick');
  const flag = (name: string) => (args.includes(`--${name}`) ? true : args.includes(`--no-${name}`) ? false : !quick);
  return {
    quick,
    cpuProf: args.includes('--cpu-prof') || args.includes('--profile-only'),
    profileOnly: args.includes('--profile-only'),
    peers: flag('peers'),
    loggerVariant: flag('logger-variant'),
    memoryDbVariant: !args.includes('--profile-only') && flag('memory-db-variant'),
    walVariant: flag('wal-variant'),
    postgres: args.includes('--postgres') ? 'yes' : args.includes('--no-postgres') || quick || args.includes('--profile-only') ? 'no' : 'auto',
    isolate: !quick,
    durationSeconds: quick ? 3 : 15,
    // Quick runs warm up too: a cold app's first figure (the floor) would come out low and flatter every ratio to it.
    warmup: quick ? { requests: 2_000, seconds: 1 } : { requests: 20_000, seconds: 30 },
    warmupSeconds: quick ? 1 : 2,
    appWarmupSeconds: 8,
    profileWarmupRequests: quick ? 2_000 : 20_000,
    profileSyncWarmupRequests: quick ? 50 : 500,
    drainRequests: quick ? 50 : 5000,
    bodySizeSeconds: quick ? 3 : 15,
    memorySeconds: quick ? 10 : 60,
    memoryWarmupSeconds: quick ? 0 : 5,
    // A full run's 60 s load leaves about 50,000 executions, which the engine runs at about 50 a second on a SQLite file.
    memoryDrainTimeoutMs: quick ? 5_000 : 1_800_000,
    settleTimeoutMs: quick ? 0 : 30_000,
    drainTimeoutMs: quick ? 5_000 : 420_000,
    args,
  };
}
