import { createMockServer } from '@nocobase/test';
import type { MockServer, MockServerOptions } from '@nocobase/test';
import type { WorkflowModel } from '@nocobase/plugin-workflow';

import { PluginWorkflowWebhookServer } from '../../Plugin';

/** The plugins a real app runs this one with; ACL is on, as in production. */
export const WEBHOOK_APP_PLUGINS: MockServerOptions['plugins'] = [
  'error-handler',
  'field-sort',
  'users',
  'auth',
  'acl',
  'data-source-main',
  'data-source-manager',
  'workflow',
  PluginWorkflowWebhookServer,
];

export async function createWebhookApp(options: MockServerOptions = {}): Promise<MockServer> {
  return createMockServer({
    acl: true,
    plugins: WEBHOOK_APP_PLUGINS,
    resourcer: { prefix: '/api' },
    ...options,
  });
}

export interface WorkflowValues {
  sync?: boolean;
  enabled?: boolean;
  config?: Record<string, unknown>;
  options?: Record<string, unknown>;
}

export async function createWebhookWorkflow(app: MockServer, values: WorkflowValues = {}): Promise<WorkflowModel> {
  return (await app.db.getRepository('workflows').create({
    values: { type: 'webhook', title: 'webhook', enabled: true, sync: false, config: {}, ...values },
  })) as WorkflowModel;
}

export function webhookUrl(workflow: Pick<WorkflowModel, 'key'>): string {
  return `/api/webhook:trigger/${workflow.key}`;
}
