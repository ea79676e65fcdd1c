import type PluginWorkflowServer from '@nocobase/plugin-workflow';

/**
 * The two fields of plugin-workflow's Dispatcher the lanes read and claim (not part of its typed API): `executing`,
 * the step in progress (its queue hands out the next execution only while it is empty), and `saving`, an event being
 * written as an execution.
 */
export interface DispatcherState {
  executing: Promise<unknown> | null;
  saving: Promise<unknown> | null;
}

const ignore = () => undefined;
const GIVE_WAY_TICKS = 4;

function isDispatcherState(value: unknown): value is DispatcherState {
  return typeof value === 'object' && value !== null && 'executing' in value && 'saving' in value;
}

/** The engine's dispatcher, or null when it does not have the expected shape (another version of plugin-workflow). */
export function dispatcherOf(plugin: PluginWorkflowServer): DispatcherState | null {
  const dispatcher: unknown = (plugin as unknown as { dispatcher?: unknown }).dispatcher;
  return isDispatcherState(dispatcher) ? dispatcher : null;
}

/** The engine's step in progress (processing or saving executions), or null when it is at rest. */
export function engineStep(dispatcher: DispatcherState): Promise<unknown> | null {
  return dispatcher.executing ?? dispatcher.saving;
}

export async function engineAtRest(dispatcher: DispatcherState): Promise<void> {
  for (let busy = engineStep(dispatcher); busy; busy = engineStep(dispatcher)) {
    await busy.then(ignore, ignore);
  }
}

/**
 * The engine's queue looks for work on `setImmediate` after an execution is queued or finished: give it a few of
 * those to claim a step, and wait for that step if it did.
 */
export async function giveWayTo(dispatcher: DispatcherState): Promise<void> {
  for (let tick = 0; tick < GIVE_WAY_TICKS; tick += 1) {
    await new Promise((resolve) => setImmediate(resolve));
    if (dispatcher.executing) {
      await engineAtRest(dispatcher);
      return;
    }
  }
}
