/**
 * `npm run bench:ab -- <rev A> <rev B> [--target sync|async] [--rounds N] [--seconds S] [--postgres] [--cpu-prof]`:
 * one figure of two versions of the plugin, measured on fresh apps in turns (A, B, A, B...) so that the machine's
 * drift falls on both alike. A revision is anything git names (a commit, HEAD, a branch) or `worktree` for src/ as it
 * is now; each is checked out into .tmp/ab/ (ignored). Each app gets the same warm-up before its window: 1,000
 * requests of its load for sync, 5,000 for async (or 20 s), then `--seconds` of it (default 10). With --cpu-prof the
 * app is profiled and the line names the window's start and end on the profile's clock (microseconds).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { TargetProcess, killAllChildren } from './lib/child';
import { measure } from './lib/load';
import { postgresAppEnv, postgresSettings, recreateDatabase } from './lib/postgres';
import type { ServerReady } from './lib/protocol';
import { BODY_JSON } from './lib/traffic';

const benchDir = __dirname;
const repoRoot = path.resolve(benchDir, '..');
const abDir = path.join(repoRoot, '.tmp', 'ab');

interface AbOptions {
  revisions: [string, string];
  target: 'sync' | 'async';
  rounds: number;
  seconds: number;
  postgres: boolean;
  cpuProf: boolean;
}

const USAGE = 'usage: npm run bench:ab -- <rev A> <rev B> [--target sync|async] [--rounds N] [--seconds S] [--postgres] [--cpu-prof]';

function parseAbOptions(args: string[]): AbOptions {
  const revisions: string[] = [];
  const options: AbOptions = { revisions: ['', ''], target: 'sync', rounds: 2, seconds: 10, postgres: false, cpuProf: false };
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index];
    const value = () => {
      index += 1;
      if (args[index] === undefined) {
        throw new Error(`${arg} needs a value`);
      }
      return args[index];
    };
    if (arg === '--target') {
      const target = value();
      if (target !== 'sync' && target !== 'async') {
        throw new Error(`--target is sync or async, not ${target}`);
      }
      options.target = target;
    } else if (arg === '--rounds') {
      options.rounds = Number(value());
    } else if (arg === '--seconds') {
      options.seconds = Number(value());
    } else if (arg === '--postgres') {
      options.postgres = true;
    } else if (arg === '--cpu-prof') {
      options.cpuProf = true;
    } else if (arg.startsWith('--')) {
      throw new Error(`unknown flag ${arg}`);
    } else {
      revisions.push(arg);
    }
  }
  if (revisions.length !== 2 || !(options.rounds >= 1) || !(options.seconds >= 1)) {
    throw new Error(USAGE);
  }
  options.revisions = [revisions[0], revisions[1]];
  return options;
}

/** src/ of a revision, in a folder of its own under the repository (so that its imports find node_modules). */
function checkOut(revision: string, label: string): string {
  const folder = path.join(abDir, `src-${label}`);
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(folder, { recursive: true });
  if (revision === 'worktree') {
    fs.cpSync(path.join(repoRoot, 'src'), path.join(folder, 'src'), { recursive: true });
  } else {
    const archive = execFileSync('git', ['archive', revision, 'src'], { cwd: repoRoot, maxBuffer: 256 * 1024 * 1024 });
    execFileSync('tar', ['-x', '-C', folder], { input: archive });
  }
  return path.join(folder, 'src');
}

async function measureOnce(options: AbOptions, label: string, source: string, round: number): Promise<void> {
  const folder = path.join(abDir, `run-${label}-${round}`);
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(folder, { recursive: true });
  const settings = postgresSettings();
  if (options.postgres) {
    await recreateDatabase(settings);
  }
  const app = await TargetProcess.start<ServerReady>({
    script: path.join(benchDir, 'server.ts'),
    execArgv: [
      '--expose-gc',
      ...(options.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', path.join(folder, 'prof')] : []),
      '-r',
      'ts-node/register/transpile-only',
    ],
    cwd: repoRoot,
    env: {
      ...process.env,
      TS_NODE_PROJECT: path.join(benchDir, 'tsconfig.json'),
      BENCH_SRC: source,
      ...(options.postgres
        ? { ...postgresAppEnv(settings), DB_STORAGE: undefined }
        : { DB_DIALECT: 'sqlite', DB_STORAGE: path.join(folder, 'nocobase.sqlite') }),
      STORAGE_PATH: path.join(folder, 'storage'),
    },
    logFile: path.join(folder, 'app.log'),
  });
  try {
    const url = `http://127.0.0.1:${app.ready.port}${app.ready.workflows[options.target].path}`;
    const warmup = { requests: options.target === 'sync' ? 1_000 : 5_000, seconds: 20 };
    await measure({ url, body: BODY_JSON, node: process.version, durationSeconds: 1, warmup });
    const from = process.hrtime.bigint() / 1000n;
    const figures = await measure({ url, body: BODY_JSON, node: process.version, durationSeconds: options.seconds });
    const to = process.hrtime.bigint() / 1000n;
    const window = options.cpuProf ? ` window ${from}-${to} us, profile in ${path.relative(repoRoot, folder)}/prof` : '';
    console.log(
      `${label} (${options.revisions[label === 'A' ? 0 : 1]}) round ${round}: ${figures.rps} req/s, p50 ${figures.p50Ms} ms, ` +
        `p99 ${figures.p99Ms} ms, failures ${figures.failures} ${JSON.stringify(figures.statusCodes)}${window}`,
    );
  } finally {
    await app.stop(true);
  }
}

async function main(): Promise<void> {
  const options = parseAbOptions(process.argv.slice(2));
  const sources = { A: checkOut(options.revisions[0], 'A'), B: checkOut(options.revisions[1], 'B') };
  const database = options.postgres ? 'PostgreSQL' : 'a SQLite file';
  console.log(`${options.target} webhook on ${database}, ${options.rounds} rounds of ${options.seconds} s, A = ${options.revisions[0]}, B = ${options.revisions[1]}`);
  for (let round = 1; round <= options.rounds; round += 1) {
    await measureOnce(options, 'A', sources.A, round);
    await measureOnce(options, 'B', sources.B, round);
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  killAllChildren();
  process.exit(2);
});
