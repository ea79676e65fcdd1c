import { Plugin } from '@nocobase/server';
import PluginWorkflowServer from '@nocobase/plugin-workflow';

import { RESOURCE_NAME, RESPONSE_INSTRUCTION_TYPE, TRIGGER_ACTION_NAME, TRIGGER_TYPE } from '../common/constants';
import type { DeliveryRecorder } from './DeliveryRecorder';
import { EngineQueueRecorder } from './EngineQueueRecorder';
import { ExecutionCounter } from './ExecutionCounter';
import { ExecutionLockPruner } from './ExecutionLockPruner';
import { GroupCommitRecorder } from './GroupCommitRecorder';
import { IdempotencyStore } from './IdempotencyStore';
import { RequestGuard } from './RequestGuard';
import { registerRequestLog } from './requestLog';
import type { RequestLogRecorder } from './RequestLogRecorder';
import { LazyWindowCounter, LocalWindowCounter, RateLimiter, SharedWindowCounter } from './security/rateLimit';
import { ResponseInstruction } from './ResponseInstruction';
import { SerialLane } from './SerialLane';
import { StartedSyncRuns } from './StartedSyncRuns';
import { EngineSyncRuns } from './SyncRuns';
import type { SyncRuns } from './SyncRuns';
import { registerTestListening } from './testListening';
import { WebhookRequestHandler } from './WebhookRequestHandler';
import { WebhookTrigger } from './WebhookTrigger';
import { createWebhookRoute } from './webhookRoute';
import { createAccessLogWriter } from './accessLog';
import { DIRECT_LANE } from './WriteLane';
import type { WriteLane } from './WriteLane';
import { writeLanesFor } from './writeLanes';

export class PluginWorkflowWebhookServer extends Plugin {
  /** Its `drain()` settles the rows queued so far (tests: on SQLite in memory every write shares one connection). */
  requestLog: RequestLogRecorder | undefined;
  /** Drops the idle per-execution mutexes NocoBase's local lock adapter would keep forever; null if it has none. */
  executionLocks: ExecutionLockPruner | null = null;

  async load() {
    const workflowPlugin = this.app.pm.get(PluginWorkflowServer) as PluginWorkflowServer;
    const logger = this.createLogger({ dirname: 'workflow-webhook', filename: '%DATE%.log' });

    const trigger = new WebhookTrigger(workflowPlugin);
    workflowPlugin.registerTrigger(TRIGGER_TYPE, trigger);
    workflowPlugin.registerInstruction(RESPONSE_INSTRUCTION_TYPE, new ResponseInstruction(workflowPlugin));

    const { lane, deliveryLane } = writeLanesFor(workflowPlugin, this.db.options.dialect);
    if (!deliveryLane) {
      logger.warn('unknown workflow engine dispatcher: async deliveries go through the engine one by one');
    }
    // The async deliveries' and the synchronous runs' counts are written together.
    const counter = deliveryLane ? new ExecutionCounter(workflowPlugin, logger, deliveryLane) : null;
    const recorder: DeliveryRecorder = deliveryLane
      ? new GroupCommitRecorder(workflowPlugin, logger, deliveryLane, counter ?? undefined)
      : new EngineQueueRecorder(workflowPlugin, logger);
    const syncRuns: SyncRuns = (counter && StartedSyncRuns.of(workflowPlugin, counter, logger)) || new EngineSyncRuns(workflowPlugin);
    // Memory (the default) counts per process; a shared store (Redis) counts for every node of a cluster.
    const rateLimiter = new RateLimiter(
      new LazyWindowCounter(() =>
        this.app.cacheManager.defaultStore === 'memory'
          ? new LocalWindowCounter()
          : new SharedWindowCounter(() =>
              this.app.cacheManager.createCounter(
                { name: 'workflow-webhook:rate-limit', prefix: 'workflow-webhook:rate' },
                this.app.lockManager,
              ),
            ),
      ),
    );
    const guard = new RequestGuard(this.app.environment, rateLimiter, logger);
    const idempotency = new IdempotencyStore(this.db);
    // Without the engine's lane, synchronous runs on SQLite still take turns with each other.
    const syncLane: Pick<WriteLane, 'run'> = lane ?? new SerialLane();
    const handler = new WebhookRequestHandler(workflowPlugin, trigger, recorder, guard, idempotency, logger, syncLane, syncRuns);

    this.app.resourceManager.define({
      name: RESOURCE_NAME,
      actions: { [TRIGGER_ACTION_NAME]: handler.action },
    });
    this.app.acl.allow(RESOURCE_NAME, TRIGGER_ACTION_NAME, 'public');
    this.requestLog = registerRequestLog(this, handler, trigger, logger, lane ?? DIRECT_LANE);
    await registerTestListening(this, handler, logger);
    const prefix = () => this.app.resourceManager.options.prefix ?? process.env.API_BASE_PATH ?? '/api';
    this.app.use(createWebhookRoute(handler, prefix, createAccessLogWriter(this.app)), {
      tag: 'webhookRoute',
      after: 'audit',
      before: 'logger',
    });

    this.executionLocks = ExecutionLockPruner.of(this.app.lockManager, logger);
    this.app.on('afterStart', () => this.executionLocks?.start());
    this.app.on('afterStop', () => this.executionLocks?.stop());

    // Acknowledged deliveries must be written before the workflow plugin drains its queues and the database closes.
    this.app.on('beforeStop', async () => {
      await recorder.drain();
      await syncRuns.drain();
      await recorder.close?.();
    });
  }
}

export default PluginWorkflowWebhookServer;
