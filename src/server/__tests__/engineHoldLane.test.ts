import type PluginWorkflowServer from '@nocobase/plugin-workflow';

import { EngineHoldLane } from '../EngineHoldLane';

interface FakeDispatcher {
  executing: Promise<unknown> | null;
  saving: Promise<unknown> | null;
}

function laneOf(dispatcher: FakeDispatcher): EngineHoldLane {
  return EngineHoldLane.of({ dispatcher } as unknown as PluginWorkflowServer)!;
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('EngineHoldLane: holding the engine while deliveries are written (PostgreSQL, MySQL)', () => {
  it('is not found on a dispatcher of another shape', () => {
    expect(EngineHoldLane.of({ dispatcher: {} } as unknown as PluginWorkflowServer)).toBeNull();
  });

  it('starts a write at once, keeps the queue from handing out an execution while it runs, and lets it go after', async () => {
    const dispatcher: FakeDispatcher = { executing: null, saving: null };
    const lane = laneOf(dispatcher);
    const write = deferred();
    let started = false;
    const running = lane.run(async () => {
      started = true;
      await write.promise;
      return 'written';
    });
    expect(started).toBe(true);
    expect(dispatcher.executing).not.toBeNull();
    write.resolve();
    await expect(running).resolves.toBe('written');
    await settle();
    expect(dispatcher.executing).toBeNull();
  });

  it("lets the engine's running step finish, and holds until both it and the writes are done", async () => {
    const step = deferred();
    const dispatcher: FakeDispatcher = { executing: null, saving: null };
    const engineStep = step.promise.then(() => {
      // What plugin-workflow's dispatcher does when its step ends: clear `executing` only if it is still its own.
      if (dispatcher.executing === engineStep) {
        dispatcher.executing = null;
      }
    });
    dispatcher.executing = engineStep;
    const lane = laneOf(dispatcher);
    await lane.run(async () => undefined);
    await settle();
    expect(dispatcher.executing).not.toBeNull();
    step.resolve();
    await settle();
    expect(dispatcher.executing).toBeNull();
  });

  it('holds across overlapping writes, until the last one ends', async () => {
    const dispatcher: FakeDispatcher = { executing: null, saving: null };
    const lane = laneOf(dispatcher);
    const first = deferred();
    const second = deferred();
    const a = lane.run(() => first.promise);
    const b = lane.run(() => second.promise);
    first.resolve();
    await a;
    await settle();
    expect(dispatcher.executing).not.toBeNull();
    second.resolve();
    await b;
    await settle();
    expect(dispatcher.executing).toBeNull();
  });

  it('hands work to the engine at once when not held, else when the hold ends, and then lets the engine take a step', async () => {
    const dispatcher: FakeDispatcher = { executing: null, saving: null };
    const lane = laneOf(dispatcher);
    const order: string[] = [];
    lane.handOver(() => order.push('handed over, not held'));
    expect(order).toEqual(['handed over, not held']);

    const write = deferred();
    const holding = lane.run(() => write.promise);
    // The queue, as NocoBase's memory queue does: it looks for work on the setImmediate after a message arrives.
    lane.handOver(() =>
      setImmediate(() => {
        if (dispatcher.executing) {
          order.push('queue found the engine held');
          return;
        }
        const step = new Promise<void>((resolve) => setTimeout(resolve, 20)).then(() => {
          order.push('engine step done');
          dispatcher.executing = null;
        });
        dispatcher.executing = step;
      }),
    );
    await settle();
    expect(order).toHaveLength(1);
    write.resolve();
    await holding;
    await lane.run(async () => order.push('next write'));
    expect(order).toEqual(['handed over, not held', 'engine step done', 'next write']);
  });

  it('lets the engine go when a write fails, and passes the error on', async () => {
    const dispatcher: FakeDispatcher = { executing: null, saving: null };
    const lane = laneOf(dispatcher);
    await expect(lane.run(async () => Promise.reject(new Error('duplicate key')))).rejects.toThrow('duplicate key');
    await settle();
    expect(dispatcher.executing).toBeNull();
  });
});
