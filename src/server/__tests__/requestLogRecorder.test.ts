import type { Context } from 'koa';
import type { Database } from '@nocobase/database';
import type { Logger } from '@nocobase/logger';
import type { WorkflowModel } from '@nocobase/plugin-workflow';

import type { DeliveryOutcome } from '../DeliveryOutcome';
import { RequestLogRecorder } from '../RequestLogRecorder';

const busy = () => Object.assign(new Error('SQLITE_BUSY: database is locked'), { parent: { code: 'SQLITE_BUSY' } });

/** A database whose INSERTs fail with the given errors first, then succeed. */
function fakeDatabase(failures: Error[]) {
  const written: object[][] = [];
  const model = {
    bulkCreate: jest.fn(async (rows: object[]) => {
      const failure = failures.shift();
      if (failure) {
        throw failure;
      }
      written.push(rows);
      return rows;
    }),
    findOne: jest.fn(async () => null),
    destroy: jest.fn(async () => 0),
  };
  return { db: { getModel: () => model } as unknown as Database, model, written };
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

describe('server/RequestLogRecorder', () => {
  it('queues without touching the database, then writes the rows of one turn with one INSERT', async () => {
    const { db, model, written } = fakeDatabase([]);
    const recorder = new RequestLogRecorder(db, () => workflow, logger() as unknown as Logger, [1]);
    recorder.observe(...answered(200));
    recorder.observe(...answered(401));
    expect(model.bulkCreate).not.toHaveBeenCalled();
    await recorder.drain();
    expect(model.bulkCreate).toHaveBeenCalledTimes(1);
    expect(written[0].map((row) => (row as { status: number }).status)).toEqual([200, 401]);
  });

  it('retries a busy SQLite database a little, then writes', async () => {
    const { db, model, written } = fakeDatabase([busy(), busy()]);
    const log = logger();
    const recorder = new RequestLogRecorder(db, () => workflow, log as unknown as Logger, [1, 1, 1]);
    recorder.observe(...answered());
    await recorder.drain();
    expect(model.bulkCreate).toHaveBeenCalledTimes(3);
    expect(written).toHaveLength(1);
    expect(log.warn).not.toHaveBeenCalled();
  });

  it('drops the rows with a warning when the database stays busy, and goes on with the next ones', async () => {
    const { db, model, written } = fakeDatabase([busy(), busy(), busy()]);
    const log = logger();
    const recorder = new RequestLogRecorder(db, () => workflow, log as unknown as Logger, [1, 1]);
    recorder.observe(...answered());
    await expect(recorder.drain()).resolves.toBeUndefined();
    expect(model.bulkCreate).toHaveBeenCalledTimes(3);
    expect(log.warn).toHaveBeenCalledWith(expect.stringMatching(/1 rows dropped/), expect.anything());
    recorder.observe(...answered());
    await recorder.drain();
    expect(written).toHaveLength(1);
  });

  it('does not retry other errors (e.g. a missing table): one warning, nothing thrown', async () => {
    const { db, model } = fakeDatabase([new Error('no such table: workflowWebhookRequestLogs')]);
    const log = logger();
    const recorder = new RequestLogRecorder(db, () => workflow, log as unknown as Logger, [1, 1]);
    expect(() => recorder.observe(...answered())).not.toThrow();
    await recorder.drain();
    expect(model.bulkCreate).toHaveBeenCalledTimes(1);
    expect(log.warn).toHaveBeenCalledTimes(1);
  });
});
