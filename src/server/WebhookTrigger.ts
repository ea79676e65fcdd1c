import { Trigger } from '@nocobase/plugin-workflow';
import type { Processor, WorkflowModel } from '@nocobase/plugin-workflow';
import type { Transactionable } from '@nocobase/database';

import { TRIGGER_TYPE } from '../common/constants';
import type { RequestHeaders, WebhookContext, WebhookTriggerConfig } from '../common/types';
import { webhookTriggerConfigSchema } from './configSchema';
import { mapRows, maskHeaders } from './requestContext';

/** What the engine hands to `off`: a model, or a plain snapshot of one taken before its config changed. */
type WorkflowSnapshot = Pick<WorkflowModel, 'id' | 'key'>;

interface ManualValues {
  headers?: RequestHeaders;
  query?: Record<string, unknown>;
  body?: unknown;
}

export class WebhookTrigger extends Trigger {
  static TYPE = TRIGGER_TYPE;

  configSchema = webhookTriggerConfigSchema;

  /** workflow key -> its enabled revision; the only cache, kept by on/off on every node of a cluster. */
  private readonly enabledByKey = new Map<string, WorkflowModel>();

  on(workflow: WorkflowModel): void {
    this.enabledByKey.set(workflow.key, workflow);
  }

  off(workflow: WorkflowSnapshot): void {
    if (this.enabledByKey.get(workflow.key)?.id === workflow.id) {
      this.enabledByKey.delete(workflow.key);
    }
  }

  findEnabled(key: string): WorkflowModel | undefined {
    return this.enabledByKey.get(key);
  }

  /** A manual run takes a hand-written request; configured rows are mapped as for a real one. */
  execute(workflow: WorkflowModel, values: ManualValues, options: Transactionable): Promise<Processor | null | void> | void {
    const config: WebhookTriggerConfig = workflow.config ?? {};
    const context: WebhookContext = {
      headers: maskHeaders(values?.headers ?? {}),
      query: mapRows(values?.query ?? {}, config.request?.query) as Record<string, unknown>,
      body: mapRows(values?.body ?? {}, config.request?.body),
    };
    return this.workflow.trigger(workflow, context, { ...options, manually: true });
  }
}
