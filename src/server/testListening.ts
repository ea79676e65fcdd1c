import type { Context, Next } from '@nocobase/actions';
import type { Model } from '@nocobase/database';
import type { Logger } from '@nocobase/logger';
import PluginWorkflowServer from '@nocobase/plugin-workflow';
import type { Plugin } from '@nocobase/server';

import { RESOURCE_NAME, TRIGGER_TYPE } from '../common/constants';
import {
  CAPTURE_ACTION_NAME,
  DEFAULT_LISTEN_DURATION_MS,
  LISTEN_ACTION_NAME,
  STOP_LISTENING_ACTION_NAME,
} from '../common/testCapture';
import type { ListenState } from '../common/testCapture';
import type { WebhookTriggerConfig } from '../common/types';
import testCapturesCollection from './collections/workflowWebhookTestCaptures';
import { TestCaptureStore } from './TestCaptureStore';
import { TestListener } from './TestListener';
import type { WebhookRequestHandler } from './WebhookRequestHandler';

/** Plugin options: `listenDurationMs` replaces the 2-minute listening window (e.g. in tests). */
interface TestListeningOptions {
  listenDurationMs?: number;
}

/** The webhook workflow (any revision) whose panel called: `filterByTk` is its id. */
async function findWebhookWorkflow(ctx: Context): Promise<Model> {
  const id = ctx.action.params.filterByTk;
  if (id === undefined || id === null || id === '') {
    ctx.throw(400, 'filterByTk (the workflow id) is required');
  }
  const workflow: Model | null = await ctx.db.getRepository('workflows').findOne({ filterByTk: id });
  if (!workflow || workflow.get('type') !== TRIGGER_TYPE) {
    ctx.throw(404, `No webhook workflow with id ${id}`);
  }
  return workflow;
}

/**
 * "Listen for test request" of the trigger panel: the `webhook:listen`, `webhook:stopListening` and `webhook:capture`
 * actions, allowed to the roles that manage workflows; the interceptor that catches the request; the captures
 * collection. Call after the `webhook` resource is defined.
 */
export async function registerTestListening(plugin: Plugin, handler: WebhookRequestHandler, logger: Logger) {
  const { app, db } = plugin;
  // An installed package gets it from dist/server/collections before `load`; a plugin class given directly does not.
  if (!db.hasCollection(testCapturesCollection.name)) {
    db.collection(testCapturesCollection);
  }
  const store = new TestCaptureStore(db);
  const options = (plugin.options ?? {}) as TestListeningOptions;
  const listener = new TestListener({
    pubSub: app.pubSubManager,
    store,
    configsOf: async (key) => {
      const revisions: Model[] = await db.getRepository('workflows').find({ filter: { key }, fields: ['config'] });
      return revisions.map((revision) => (revision.get('config') ?? {}) as WebhookTriggerConfig);
    },
    durationMs: Number(options.listenDurationMs) > 0 ? Number(options.listenDurationMs) : DEFAULT_LISTEN_DURATION_MS,
    logger,
  });
  handler.addInterceptor(listener);

  // Each action finds the workflow, may change the listening, and answers the key's state.
  const addAction = (name: string, change?: (key: string) => Promise<void>) =>
    app.resourceManager.getResource(RESOURCE_NAME).addAction(name, async (ctx, next: Next) => {
      const key = (await findWebhookWorkflow(ctx as Context)).get('key') as string;
      await change?.(key);
      const state: ListenState = { remainingMs: listener.remainingMs(key), capture: await store.find(key) };
      ctx.body = state;
      await next();
    });
  addAction(LISTEN_ACTION_NAME, (key) => listener.listen(key));
  addAction(STOP_LISTENING_ACTION_NAME, (key) => listener.stop(key));
  addAction(CAPTURE_ACTION_NAME);

  // Whoever may edit workflows may listen; `webhook:trigger` stays the only public action of the resource.
  const workflowPlugin = app.pm.get(PluginWorkflowServer) as PluginWorkflowServer;
  app.acl.registerSnippet({
    name: `pm.${workflowPlugin.name}.workflows`,
    actions: [LISTEN_ACTION_NAME, STOP_LISTENING_ACTION_NAME, CAPTURE_ACTION_NAME].map(
      (action) => `${RESOURCE_NAME}:${action}`,
    ),
  });
  await listener.subscribe();
}
