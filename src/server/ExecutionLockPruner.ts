import type { Logger } from '@nocobase/logger';

/** A mutex of NocoBase's local lock adapter (async-mutex): locked while held, and while anyone waits for it. */
export interface LocalMutex {
  isLocked(): boolean;
}

/** The part of `app.lockManager` this reads: the adapter registry, where the local adapter class keeps its mutexes. */
interface LockManagerInternals {
  registry?: { get(name: string): { Adapter?: { locks?: unknown } } | undefined };
}

/** The map of key -> mutex of the app's local lock adapter class; null if this NocoBase keeps none. */
export function localLockMap(lockManager: unknown): Map<string, LocalMutex> | null {
  const locks = (lockManager as LockManagerInternals | undefined)?.registry?.get('local')?.Adapter?.locks;
  return locks instanceof Map ? (locks as Map<string, LocalMutex>) : null;
}

/** The lock keys plugin-workflow takes once per execution and per resumed job (`getExecutionLockKey`, `getJobLockKey`). */
const PER_RUN_KEY_PREFIXES = ['workflow:execution:', 'workflow:job:'];
export const LOCK_PRUNE_INTERVAL_MS = 60_000;

/**
 * NocoBase's local lock adapter (the lock manager of a single node) keeps one mutex per key for the life of the
 * process, and plugin-workflow locks every execution it runs by its own key: each execution left about 500 bytes of
 * heap behind for good (a heap snapshot after 6,993 webhook executions held 6,993 more Mutex, Semaphore, context and
 * closure objects, and their arrays). Webhooks exist to run many executions, so the idle per-run mutexes are dropped
 * once a minute.
 *
 * An idle mutex has no user: it is locked while held or waited for, and plugin-workflow acquires these right after
 * looking them up, in the same synchronous step, and does not reuse one after its release.
 */
export class ExecutionLockPruner {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly locks: Map<string, LocalMutex>) {}

  /** The pruner of the app's local lock adapter; null (and nothing to do) if this NocoBase keeps its locks otherwise. */
  static of(lockManager: unknown, logger: Logger): ExecutionLockPruner | null {
    const locks = localLockMap(lockManager);
    if (!locks) {
      logger.debug('no local lock map found: idle execution locks are not pruned');
      return null;
    }
    return new ExecutionLockPruner(locks);
  }

  /** Drops the idle per-run mutexes; returns how many. */
  prune(): number {
    let dropped = 0;
    for (const [key, mutex] of this.locks) {
      if (PER_RUN_KEY_PREFIXES.some((prefix) => key.startsWith(prefix)) && !mutex.isLocked()) {
        this.locks.delete(key);
        dropped++;
      }
    }
    return dropped;
  }

  start(intervalMs = LOCK_PRUNE_INTERVAL_MS): void {
    this.stop();
    this.timer = setInterval(() => this.prune(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}
