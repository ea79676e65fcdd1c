import { Plugin } from '@nocobase/client';
import type PluginWorkflowClient from '@nocobase/plugin-workflow/client';

import { RESPONSE_INSTRUCTION_TYPE, TRIGGER_TYPE } from '../common/constants';
import { createTranslate } from './locale';
import { ResponseInstruction } from './ResponseInstruction';
import { WebhookTrigger } from './WebhookTrigger';

/** Registers the "Webhook event" trigger and the "Response" node with the workflow plugin of the page. */
export class PluginWorkflowWebhookClient extends Plugin {
  async load() {
    const workflow = this.app.pm.get('workflow') as PluginWorkflowClient | undefined;
    if (!workflow) {
      throw new Error('@nocobase/plugin-workflow-webhook needs the workflow plugin to be enabled');
    }
    const translate = createTranslate(this.app.i18n);
    workflow.registerTrigger(TRIGGER_TYPE, new WebhookTrigger(translate));
    workflow.registerInstruction(RESPONSE_INSTRUCTION_TYPE, new ResponseInstruction(translate));
  }
}
