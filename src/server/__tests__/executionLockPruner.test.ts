import { ExecutionLockPruner, localLockMap } from '../ExecutionLockPruner';
import { PluginWorkflowWebhookServer } from '../Plugin';
import { createWebhookWorkflow, findExecutions, useWebhookApp, waitForSettledExecutions, webhookUrl } from './helpers/app';

describe('server: idle per-execution locks are dropped', () => {
  const getApp = useWebhookApp();

  it("drops the mutexes NocoBase's local lock adapter keeps for executions that ran, and keeps a held one", async () => {
    const app = getApp();
    const pruner = app.pm.get(PluginWorkflowWebhookServer)?.executionLocks;
    expect(pruner).toBeInstanceOf(ExecutionLockPruner);
    const workflow = await createWebhookWorkflow(app, { sync: false });
    for (let n = 0; n < 5; n++) {
      expect((await app.agent().post(webhookUrl(workflow)).send({ n })).status).toBe(200);
    }
    await waitForSettledExecutions(app, workflow, 5);
    const keys = (await findExecutions(app, workflow)).map((execution) => `workflow:execution:${execution.get('id')}`);
    const locks = localLockMap(app.lockManager);
    if (!locks) {
      throw new Error('NocoBase local lock adapter keeps no lock map');
    }
    // Without the pruner these stay for the life of the process: one mutex per execution ever run.
    expect(keys.filter((key) => locks.has(key))).toEqual(keys);

    const held = await app.lockManager.tryAcquire('workflow:execution:held-by-a-test');
    const other = await app.lockManager.tryAcquire('another-plugin:lock');
    await other.release();
    try {
      expect(pruner!.prune()).toBeGreaterThanOrEqual(keys.length);
      expect(keys.filter((key) => locks.has(key))).toEqual([]);
      expect(locks.get('workflow:execution:held-by-a-test')?.isLocked()).toBe(true);
      expect(locks.has('another-plugin:lock')).toBe(true);
    } finally {
      await held.release();
    }
    // Released, it is idle and goes at the next pass; a new lock on the same key works as before.
    expect(pruner!.prune()).toBe(1);
    const again = await app.lockManager.tryAcquire('workflow:execution:held-by-a-test');
    await expect(app.lockManager.tryAcquire('workflow:execution:held-by-a-test')).rejects.toThrow();
    await again.release();
  });
});
