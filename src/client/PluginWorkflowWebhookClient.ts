import { Plugin } from '@nocobase/client';

/**
 * Client side of the webhook plugin. It only makes the plugin loadable in the NocoBase page for now;
 * the trigger and Response node panels are registered here once they exist.
 */
export class PluginWorkflowWebhookClient extends Plugin {
  async load() {}
}
