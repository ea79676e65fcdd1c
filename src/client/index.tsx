export { PluginWorkflowWebhookClient, PluginWorkflowWebhookClient as default } from './PluginWorkflowWebhookClient';
