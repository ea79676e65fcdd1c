/** A target process the driver starts, talks to over IPC and always stops. */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';

import type { ControlCommand, ControlReply } from './protocol';

export interface ChildOptions {
  script: string;
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** stdout and stderr go to this file: the app's console logging must not cost the driver anything. */
  logFile: string;
  readyTimeoutMs?: number;
}

const running = new Set<ChildProcess>();

/** Remembers a child so that killAllChildren can end it if the driver stops early. */
export function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Ends every child still running (by its pid) when the driver stops early. */
export function killAllChildren(): void {
  for (const child of running) {
    if (child.exitCode === null && child.pid) {
      process.kill(child.pid, 'SIGKILL');
    }
  }
}

export class TargetProcess<Ready extends { type: 'ready' }> {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  readonly exited: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly ready: Ready,
  ) {
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null) {
        resolve(child.exitCode);
        return;
      }
      child.once('exit', (code) => resolve(code));
    });
    child.on('message', (message: ControlReply) => {
      if (message.type !== 'reply') {
        return;
      }
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (message.error) {
        waiter?.reject(new Error(message.error));
      } else {
        waiter?.resolve(message.result);
      }
    });
    child.once('exit', (code, signal) => {
      for (const waiter of this.waiting.values()) {
        waiter.reject(new Error(`target exited (${code ?? signal}) before answering`));
      }
      this.waiting.clear();
    });
  }

  static async start<R extends { type: 'ready' }>(options: ChildOptions): Promise<TargetProcess<R>> {
    const log = fs.openSync(options.logFile, 'a');
    const child = fork(options.script, [], {
      execArgv: options.execArgv ?? [],
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['ignore', log, log, 'ipc'],
    });
    fs.closeSync(log);
    track(child);
    const timeoutMs = options.readyTimeoutMs ?? 120_000;
    const ready = await new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${options.script} not ready within ${timeoutMs} ms`)), timeoutMs);
      const onMessage = (message: R) => {
        if (message?.type === 'ready') {
          clearTimeout(timer);
          child.off('exit', onExit);
          resolve(message);
        }
      };
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`${options.script} exited (${code}) before it was ready; see ${options.logFile}`));
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    }).catch((error: Error) => {
      if (child.exitCode === null && child.pid) {
        process.kill(child.pid, 'SIGKILL');
      }
      throw error;
    });
    return new TargetProcess<R>(child, ready);
  }

  request<T>(command: ControlCommand, timeoutMs = 60_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`no answer to ${command.cmd} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send({ id, command });
    });
  }

  /** Asks the app to stop (so a --cpu-prof profile is written); kills it if it does not exit in time. */
  async stop(graceful: boolean, timeoutMs = 30_000): Promise<void> {
    if (this.child.exitCode !== null) {
      return;
    }
    if (graceful) {
      await this.request({ cmd: 'stop' }, timeoutMs).catch(() => undefined);
    } else if (this.child.pid) {
      process.kill(this.child.pid, 'SIGTERM');
    }
    const timer = setTimeout(() => this.child.pid && this.child.exitCode === null && process.kill(this.child.pid, 'SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}
