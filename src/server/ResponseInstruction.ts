import { Instruction, JOB_STATUS } from '@nocobase/plugin-workflow';
import type { FlowNodeModel, IJob, Processor, WorkflowModel } from '@nocobase/plugin-workflow';

import { DEFAULT_RESPONSE_NODE_STATUS_CODE, TRIGGER_TYPE } from '../common/constants';
import type { ResponseNodeConfig } from '../common/types';
import { responseNodeConfigSchema } from './configSchema';
import { normalizeHttpAnswer } from './httpAnswer';
import { ResponseSlot } from './ResponseSlot';

export class ResponseInstruction extends Instruction {
  configSchema = responseNodeConfigSchema;

  isAvailable(workflow: WorkflowModel): boolean {
    return workflow.type === TRIGGER_TYPE && Boolean(workflow.sync);
  }

  async run(node: FlowNodeModel, prevJob: IJob | null, processor: Processor) {
    const rendered = processor.getParsedValue(node.config ?? {}, node.id) as ResponseNodeConfig;
    const answer = normalizeHttpAnswer(rendered, DEFAULT_RESPONSE_NODE_STATUS_CODE, {});
    const slot = processor.options.webhookResponse;
    const sent = slot instanceof ResponseSlot ? slot.offer(answer) : false;
    processor.saveJob({
      status: JOB_STATUS.RESOLVED,
      result: { ...answer, sent },
      nodeId: node.id,
      nodeKey: node.key,
      upstreamId: (prevJob as { id?: number | string } | null)?.id ?? null,
    });
    return processor.exit(JOB_STATUS.RESOLVED);
  }
}
