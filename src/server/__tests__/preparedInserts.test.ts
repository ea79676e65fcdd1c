import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { MockServer } from '@nocobase/test';

import { insertShapeOf, multiRowInsert } from '../multiRowInsert';
import { PreparedInserts, sqliteConnectionOf } from '../PreparedInserts';
import { createWebhookApp, createWebhookWorkflow, findExecutions, waitFor, webhookUrl } from './helpers/app';

const sqlite = process.env.DB_DIALECT === 'sqlite';
const onSqlite = sqlite ? it : it.skip;

/** On a SQLite file (where a connection with open statements cannot close) and on the suite's other database. */
describe('server/PreparedInserts', () => {
  let folder: string;
  let app: MockServer;
  let inserts: PreparedInserts;

  const insert = (keys: string[]) => {
    const shape = insertShapeOf(app.db, 'deliveryProbes', ['key', 'note']);
    const { sql, bind } = multiRowInsert(app.db, shape, keys.map((key) => ({ key, note: `note of ${key}` })));
    return inserts.run(sql, bind);
  };
  const storedKeys = async () =>
    ((await app.db.getRepository('deliveryProbes').find({ sort: ['key'] })) as Array<{ get(name: string): unknown }>).map(
      (row) => row.get('key'),
    );

  beforeEach(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'webhook-inserts-'));
    app = await createWebhookApp(sqlite ? { database: { dialect: 'sqlite', storage: path.join(folder, 'db.sqlite') } } : {});
    app.db.collection({
      name: 'deliveryProbes',
      timestamps: false,
      fields: [
        { type: 'string', name: 'key', unique: true },
        { type: 'string', name: 'note' },
      ],
    });
    await app.db.sync();
    inserts = new PreparedInserts(app.db);
  });

  afterEach(async () => {
    await app.destroy();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('writes every row of a multi-row INSERT', async () => {
    await insert(['a', 'b', 'c']);
    await insert(['d']);
    expect(await storedKeys()).toEqual(['a', 'b', 'c', 'd']);
    const row = (await app.db.getRepository('deliveryProbes').findOne({ filter: { key: 'b' } })) as { get(name: string): unknown };
    expect(row.get('note')).toBe('note of b');
  });

  onSqlite('prepares one statement per SQL text on SQLite and runs it again for the next batch of that size', async () => {
    const connection = await sqliteConnectionOf(app.db);
    const prepare = jest.spyOn(connection, 'prepare');
    await insert(['a', 'b']);
    await insert(['c', 'd']);
    await insert(['e']);
    expect(prepare).toHaveBeenCalledTimes(2);
    expect(await storedKeys()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it("fails a duplicate key with Sequelize's unique constraint error and writes nothing of that INSERT", async () => {
    await insert(['a']);
    // On SQLite, the prepared statement fails first.
    await expect(insert(['b', 'a'])).rejects.toMatchObject({ name: 'SequelizeUniqueConstraintError' });
    expect(await storedKeys()).toEqual(['a']);
    await insert(['b']);
    expect(await storedKeys()).toEqual(['a', 'b']);
  });

  onSqlite('lets the database close: its statements are finalized first', async () => {
    await insert(['a', 'b']);
    await insert(['c']);
    await expect(app.db.close()).resolves.toBeUndefined();
  });

  onSqlite('lets the app restart after async deliveries: a restart removes the listeners before it closes', async () => {
    const workflow = await createWebhookWorkflow(app);
    for (const id of [1, 2]) {
      expect((await app.agent().post(webhookUrl(workflow)).send({ id })).status).toBe(200);
    }
    await expect(app.restart()).resolves.toBeUndefined();
    expect((await app.agent().post(webhookUrl(workflow)).send({ id: 3 })).status).toBe(200);
    await waitFor(async () => (await findExecutions(app, workflow)).length === 3);
  });
});
