export { PluginWorkflowWebhookServer as default } from './Plugin';
export { WebhookTrigger } from './WebhookTrigger';
export { ResponseInstruction } from './ResponseInstruction';
