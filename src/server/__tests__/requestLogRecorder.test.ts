import type { Context } from 'koa';
import type { Logger } from '@nocobase/logger';
import type { WorkflowModel } from '@nocobase/plugin-workflow';

import type { DeliveryOutcome } from '../DeliveryOutcome';
import { RequestLogRecorder } from '../RequestLogRecorder';
import type { RequestLogRow, RequestLogStore } from '../RequestLogTable';

const busy = () => Object.assign(new Error('SQLITE_BUSY: database is locked'), { parent: { code: 'SQLITE_BUSY' } });

/**
 * A table whose inserts fail with the given errors first, then succeed: the recorder's retry and drop decisions, which
 * a real database cannot be made to take on demand (requestLog.test.ts runs the recorder against the real table).
 */
function fakeTable(failures: Error[]) {
  const written: RequestLogRow[][] = [];
  const table = {
    insert: jest.fn(async (rows: readonly RequestLogRow[]) => {
      const failure = failures.shift();
      if (failure) {
        throw failure;
      }
      written.push([...rows]);
    }),
    prune: jest.fn(async (_key: string, _limit: number) => undefined),
    currentWorkflows: jest.fn(async () => []),
  };
  return { table: table as RequestLogStore, model: table, written };
}

const logger = () => ({ warn: jest.fn(), error: jest.fn() });

const workflow = { id: 1, key: 'k', config: {} } as unknown as WorkflowModel;

function answered(status = 200): [Context, DeliveryOutcome] {
  const ctx = { method: 'POST', ip: '127.0.0.1', request: {} } as unknown as Context;
  const outcome: DeliveryOutcome = {
    key: 'k',
    workflow,
    receivedAt: new Date(),
    durationMs: 3,
    requestBytes: 2,
    answer: { statusCode: status, headers: [], body: 'ok' },
  };
  return [ctx, outcome];
}

/** A recorder for a workflow keeping `limit` rows, and how to answer a request of it with a status. */
function recorderKeeping(table: RequestLogStore, limit: number, log = logger()) {
  const limited = { id: 2, key: 'k', config: { requestLog: { limit } } } as unknown as WorkflowModel;
  const recorder = new RequestLogRecorder(table, () => limited, log as unknown as Logger);
  const observe = (status: number) => {
    const [ctx, outcome] = answered(status);
    recorder.observe(ctx, { ...outcome, workflow: limited });
  };
  return { recorder, observe };
}

describe('server/RequestLogRecorder', () => {
  it('queues without touching the database, then writes the rows of one turn with one INSERT', async () => {
    const { table, model, written } = fakeTable([]);
    const recorder = new RequestLogRecorder(table, () => workflow, logger() as unknown as Logger, { busyRetryDelaysMs: [1] });
    recorder.observe(...answered(200));
    recorder.observe(...answered(401));
    expect(model.insert).not.toHaveBeenCalled();
    await recorder.drain();
    expect(model.insert).toHaveBeenCalledTimes(1);
    expect(written[0].map((row) => (row as { status: number }).status)).toEqual([200, 401]);
  });

  it('retries a busy SQLite database a little, then writes', async () => {
    const { table, model, written } = fakeTable([busy(), busy()]);
    const log = logger();
    const recorder = new RequestLogRecorder(table, () => workflow, log as unknown as Logger, { busyRetryDelaysMs: [1, 1, 1] });
    recorder.observe(...answered());
    await recorder.drain();
    expect(model.insert).toHaveBeenCalledTimes(3);
    expect(written).toHaveLength(1);
    expect(log.warn).not.toHaveBeenCalled();
  });

  it('drops the rows with a warning when the database stays busy, and goes on with the next ones', async () => {
    const { table, model, written } = fakeTable([busy(), busy(), busy()]);
    const log = logger();
    const recorder = new RequestLogRecorder(table, () => workflow, log as unknown as Logger, { busyRetryDelaysMs: [1, 1] });
    recorder.observe(...answered());
    await expect(recorder.drain()).resolves.toBeUndefined();
    expect(model.insert).toHaveBeenCalledTimes(3);
    expect(log.warn).toHaveBeenCalledWith(expect.stringMatching(/1 rows dropped/), expect.anything());
    recorder.observe(...answered());
    await recorder.drain();
    expect(written).toHaveLength(1);
  });

  it('does not retry other errors (e.g. a missing table): one warning, nothing thrown', async () => {
    const { table, model } = fakeTable([new Error('no such table: workflowWebhookRequestLogs')]);
    const log = logger();
    const recorder = new RequestLogRecorder(table, () => workflow, log as unknown as Logger, { busyRetryDelaysMs: [1, 1] });
    expect(() => recorder.observe(...answered())).not.toThrow();
    await recorder.drain();
    expect(model.insert).toHaveBeenCalledTimes(1);
    expect(log.warn).toHaveBeenCalledTimes(1);
  });

  describe('on a clock', () => {
    beforeEach(() => {
      jest.useFakeTimers();
    });

    afterEach(() => {
      jest.useRealTimers();
    });

    /** Drains while the clock runs (the writer waits for the next turn of the event loop, or for its spacing). */
    async function drain(recorder: RequestLogRecorder): Promise<void> {
      const drained = recorder.drain();
      await jest.advanceTimersByTimeAsync(1_001);
      await drained;
    }

    it('writes at most once a second under a sustained load, prunes a key at most once a second, all when drained', async () => {
      const { table, model } = fakeTable([]);
      const recorder = new RequestLogRecorder(table, () => workflow, logger() as unknown as Logger);
      for (let write = 0; write < 3; write += 1) {
        recorder.observe(...answered());
        recorder.observe(...answered());
        await jest.advanceTimersByTimeAsync(600);
      }
      // At 0 ms the rows of 0 ms, at 1,000 ms those of 600 ms; those of 1,200 ms wait for 2,000 ms.
      expect(model.insert.mock.calls.map(([rows]) => rows.length)).toEqual([2, 2]);
      expect(model.prune).toHaveBeenCalledTimes(2);
      recorder.observe(...answered());
      await jest.advanceTimersByTimeAsync(10);
      expect(model.insert).toHaveBeenCalledTimes(2);
      await drain(recorder);
      expect(model.insert.mock.calls.map(([rows]) => rows.length)).toEqual([2, 2, 3]);
      expect(model.prune).toHaveBeenCalledTimes(3);
      expect(model.prune).toHaveBeenLastCalledWith('k', 100);
      await drain(recorder);
      expect(model.prune).toHaveBeenCalledTimes(3);
    });

    it('holds a row that comes right after a write until a second after it', async () => {
      const { table, model } = fakeTable([]);
      const recorder = new RequestLogRecorder(table, () => workflow, logger() as unknown as Logger);
      recorder.observe(...answered());
      await jest.advanceTimersByTimeAsync(10);
      expect(model.insert).toHaveBeenCalledTimes(1);
      recorder.observe(...answered());
      recorder.observe(...answered());
      await jest.advanceTimersByTimeAsync(980);
      expect(model.insert).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(20);
      expect(model.insert).toHaveBeenCalledTimes(2);
      expect(model.insert.mock.calls[1][0]).toHaveLength(2);
    });

    it('writes only the rows of a key that its limit keeps: the newest', async () => {
      const { table, model } = fakeTable([]);
      const recorder = new RequestLogRecorder(table, () => workflow, logger() as unknown as Logger);
      recorder.observe(...answered());
      await jest.advanceTimersByTimeAsync(10);
      for (let i = 0; i < 150; i += 1) {
        recorder.observe(...answered(i < 50 ? 500 : 201));
        await jest.advanceTimersByTimeAsync(1);
      }
      await drain(recorder);
      const second = model.insert.mock.calls[1][0];
      expect(second).toHaveLength(100);
      expect(new Set(second.map((row) => row.status))).toEqual(new Set([201]));
    });

    it('writes every row a second brings at the next write, in INSERTs of at most 500 rows', async () => {
      const { table, model } = fakeTable([]);
      const { observe } = recorderKeeping(table, 1_000);
      observe(200);
      await jest.advanceTimersByTimeAsync(10);
      for (let i = 0; i < 1_200; i += 1) {
        observe(i < 200 ? 500 : 201);
      }
      await jest.advanceTimersByTimeAsync(1_000);
      const later = model.insert.mock.calls.slice(1).map(([rows]) => rows);
      expect(later.map((rows) => rows.length)).toEqual([500, 500]);
      expect(later.flat().every((row) => row.status === 201)).toBe(true);
    });

    it('lets the oldest waiting rows give way when the queue is full of rows its limits keep', async () => {
      const { table, model } = fakeTable([]);
      const log = logger();
      const { recorder, observe } = recorderKeeping(table, 10_000, log);
      observe(200);
      await jest.advanceTimersByTimeAsync(10);
      for (let i = 0; i < 10_050; i += 1) {
        observe(i < 50 ? 500 : 201);
      }
      await drain(recorder);
      const later = model.insert.mock.calls.slice(1).flatMap(([rows]) => rows);
      expect(later).toHaveLength(10_000);
      expect(later.every((row) => row.status === 201)).toBe(true);
      expect(log.warn).toHaveBeenCalledWith(expect.stringMatching(/rows dropped \(too many requests waiting/), expect.anything());
    });

    it('keeps the newest rows when more wait than it holds, instead of refusing them', async () => {
      const { table, model } = fakeTable([]);
      const log = logger();
      const recorder = new RequestLogRecorder(table, () => workflow, log as unknown as Logger);
      recorder.observe(...answered());
      await jest.advanceTimersByTimeAsync(10);
      for (let i = 0; i < 10_050; i += 1) {
        recorder.observe(...answered(i < 10_000 ? 500 : 201));
      }
      await drain(recorder);
      expect(log.warn).not.toHaveBeenCalled();
      const rows = model.insert.mock.calls.slice(1).flatMap(([batch]) => batch);
      expect(rows).toHaveLength(100);
      expect(rows.filter((row) => row.status === 201)).toHaveLength(50);
    });
  });
});
