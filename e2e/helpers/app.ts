import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const ARTIFACTS = path.join(ROOT, 'e2e', '.artifacts');

const READY_LINE = '[start] NocoBase is up';
const STOP_GRACE_MS = 20_000;

export interface RunningApp {
  baseUrl: string;
  stop(): Promise<void>;
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve(true);
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts the app the way `npm start` does (build, pack, install, pm add + enable, nocobase start), but in a fresh
 * folder under e2e/.artifacts, on its own port and without the demo workflow. The folder stays after the run for
 * its logs and is replaced by the next run.
 */
export async function startApp(port: number, timeoutMs: number): Promise<RunningApp> {
  if (!(await isPortFree(port))) {
    throw new Error(`port ${port} is in use; set E2E_PORT`);
  }
  const appDir = path.join(ARTIFACTS, 'app');
  fs.rmSync(appDir, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const log = fs.createWriteStream(path.join(ARTIFACTS, 'server.log'));

  const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NOCOBASE_APP_DIR: appDir,
      APP_PORT: String(port),
      DEMO_WORKFLOW: 'off',
      LOGGER_LEVEL: process.env.LOGGER_LEVEL ?? 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stderr?.pipe(log);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      // start.js forwards the signal to the server's process group and exits with it.
      process.kill(-(child.pid as number), 'SIGTERM');
      if (!(await waitForExit(child, STOP_GRACE_MS))) {
        process.kill(-(child.pid as number), 'SIGKILL');
        await waitForExit(child, 5_000);
      }
    }
    log.end();
  };

  await new Promise<void>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`the app did not start within ${timeoutMs / 1000} s`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      log.write(chunk);
      seen = (seen + chunk.toString()).slice(-2000);
      if (seen.includes(READY_LINE)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`scripts/start.js exited with ${code} before the app was up; see e2e/.artifacts/server.log`));
    });
  }).catch(async (error) => {
    await stop();
    throw error;
  });

  return { baseUrl: `http://localhost:${port}`, stop };
}
