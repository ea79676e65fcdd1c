import type { Logger } from '@nocobase/logger';
import PluginWorkflowServer from '@nocobase/plugin-workflow';
import type { Plugin } from '@nocobase/server';

import { REQUEST_LOG_COLLECTION, REQUEST_LOG_LIST_ACTION } from '../common/requestLog';
import requestLogCollection from './collections/workflowWebhookRequestLogs';
import { RequestLogRecorder } from './RequestLogRecorder';
import { listRequestLogs } from './requestLogList';
import { RequestLogTable } from './RequestLogTable';
import type { WebhookRequestHandler } from './WebhookRequestHandler';
import type { WebhookTrigger } from './WebhookTrigger';
import type { WriteLane } from './WriteLane';

/**
 * The per-workflow request log: its collection, its read-only resource (for whoever may manage workflows) and the
 * observer that records every answered webhook request. Call from the plugin's `load`.
 */
export function registerRequestLog(
  plugin: Plugin,
  handler: WebhookRequestHandler,
  trigger: WebhookTrigger,
  logger: Logger,
  lane: WriteLane,
): RequestLogRecorder {
  const { app, db } = plugin;
  // NocoBase imports dist/server/collections of an installed package before `load`; a plugin class given directly
  // (tests) has no package folder, so the same definition is added here. The table is created by the db.sync of
  // install, enable and upgrade (`pm add` of a new version upgrades on the next start).
  if (!db.hasCollection(REQUEST_LOG_COLLECTION)) {
    db.collection(requestLogCollection);
  }
  app.resourceManager.define({
    name: REQUEST_LOG_COLLECTION,
    only: [REQUEST_LOG_LIST_ACTION],
    actions: { [REQUEST_LOG_LIST_ACTION]: listRequestLogs },
  });
  // Reading a workflow's request log is part of managing workflows: the workflow plugin's own permission snippet.
  const workflowPlugin = app.pm.get(PluginWorkflowServer) as PluginWorkflowServer;
  app.acl.registerSnippet({
    name: `pm.${workflowPlugin.name}.workflows`,
    actions: [`${REQUEST_LOG_COLLECTION}:${REQUEST_LOG_LIST_ACTION}`],
  });

  const recorder = new RequestLogRecorder(
    new RequestLogTable(db, () => app.snowflakeIdGenerator.generate()),
    (key) => trigger.findEnabled(key),
    logger,
    { lane },
  );
  handler.addObserver(recorder);
  // Rows still queued are written before the database closes.
  app.on('beforeStop', () => recorder.drain());
  return recorder;
}
