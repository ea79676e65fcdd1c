import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { MockCluster } from '@nocobase/test';

import { WEBHOOK_APP_PLUGINS, createWebhookCluster, createWebhookWorkflow, waitFor, webhookUrl } from './helpers/app';
import { hasRedisServer, startRedis } from './helpers/redis';
import type { RunningRedis } from './helpers/redis';

const sqliteMemory = process.env.DB_DIALECT === 'sqlite' && process.env.DB_STORAGE === ':memory:';
// CI installs redis-server (.ci/run); a developer machine without it skips, loudly.
const redisAvailable = hasRedisServer() || Boolean(process.env.CI);
if (!redisAvailable) {
  console.warn('rateLimitCluster.test.ts skipped: install redis-server (apt-get install redis-server) to run it');
}

(redisAvailable ? describe : describe.skip)('server: rate limit shared by the nodes of a cluster through a Redis cache', () => {
  let redis: RunningRedis;
  let cluster: MockCluster;
  let folder: string | undefined;

  beforeEach(async () => {
    redis = await startRedis();
    folder = sqliteMemory ? fs.mkdtempSync(path.join(os.tmpdir(), 'webhook-rate-')) : undefined;
    cluster = await createWebhookCluster({
      acl: true,
      plugins: WEBHOOK_APP_PLUGINS,
      resourcer: { prefix: '/api' },
      cacheManager: { defaultStore: 'redis', stores: { redis: { url: redis.url } } },
      ...(folder ? { database: { dialect: 'sqlite', storage: path.join(folder, 'db.sqlite') } } : {}),
    });
  });

  afterEach(async () => {
    await cluster?.destroy();
    await redis?.stop();
    if (folder) {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('counts requests to either node against one limit', async () => {
    const [first, second] = cluster.nodes;
    const workflow = await createWebhookWorkflow(first, { config: { rateLimit: { limit: 4, windowSeconds: 3600 } } });
    // The first answer from node 2 also tells that it knows the workflow; it counts as one request.
    await waitFor(async () => (await second.agent().post(webhookUrl(workflow)).send({})).status === 200);
    const statuses: number[] = [];
    for (const node of [first, second, first, second, first]) {
      statuses.push((await node.agent().post(webhookUrl(workflow)).send({})).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });
});
