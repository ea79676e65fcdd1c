import type Database from '@nocobase/database';
import type { Model } from '@nocobase/database';
import { EXECUTION_STATUS } from '@nocobase/plugin-workflow';
import type { ExecutionModel } from '@nocobase/plugin-workflow';

import { RESPONSE_INSTRUCTION_TYPE } from '../common/constants';
import type { HttpAnswer, WebhookContext, WebhookResponseConfig } from '../common/types';
import { buildAsyncAnswer } from './httpAnswer';
import { decideSyncAnswer, errorAnswer } from './syncAnswer';

interface RecordedAnswer extends HttpAnswer {
  sent?: boolean;
}

export const REPLAYED_HEADER = 'Idempotent-Replayed';

/** True for the database's refusal of a second execution with the same event key. */
export function isDuplicateEventKey(error: unknown): boolean {
  const { name, fields } = (error ?? {}) as { name?: string; fields?: unknown };
  if (name !== 'SequelizeUniqueConstraintError') {
    return false;
  }
  const names = Array.isArray(fields) ? fields : Object.keys(fields ?? {});
  return names.length === 0 || names.some((field) => /event_?key/i.test(String(field)));
}

/** Finds the first delivery of an idempotency key and answers a repeat of it as the first was answered. */
export class IdempotencyStore {
  constructor(private readonly db: Database) {}

  /**
   * The execution of the key's first delivery within the window. An older one gives up the key (its event key gets
   * its id appended), so the delivery starts a new execution.
   */
  async findRecent(eventKey: string, windowSeconds: number, now = Date.now()): Promise<ExecutionModel | null> {
    const repository = this.db.getRepository('executions');
    const execution = (await repository.findOne({ filter: { eventKey } })) as ExecutionModel | null;
    if (!execution) {
      return null;
    }
    const createdAt = new Date(execution.get('createdAt') as string | Date).getTime();
    if (now - createdAt <= windowSeconds * 1000) {
      return execution;
    }
    await repository.update({
      filter: { id: execution.id, eventKey },
      values: { eventKey: `${eventKey}:${execution.id}` },
    });
    return null;
  }

  /** Async: the configured response, rendered from the first delivery's context. */
  replayAsync(execution: ExecutionModel, response: WebhookResponseConfig | undefined): HttpAnswer {
    return replayed(buildAsyncAnswer(response, execution.get('context') as WebhookContext));
  }

  /** Sync: the answer the Response node recorded for the first delivery, or what its outcome implied. */
  async replaySync(execution: ExecutionModel): Promise<HttpAnswer> {
    const status = execution.get('status') as number;
    if (status === EXECUTION_STATUS.QUEUEING || status === EXECUTION_STATUS.STARTED) {
      return {
        ...errorAnswer(409, 'A delivery with this idempotency key is still being processed; retry later'),
        headers: [{ name: 'Retry-After', value: '1' }],
      };
    }
    const responseNodes: Model[] = await this.db.getRepository('flow_nodes').find({
      filter: { workflowId: execution.get('workflowId'), type: RESPONSE_INSTRUCTION_TYPE },
      fields: ['id'],
    });
    const jobs: Model[] = responseNodes.length
      ? await this.db.getRepository('jobs').find({
          filter: { executionId: execution.id, nodeId: { $in: responseNodes.map((node) => node.get('id')) } },
          sort: ['id'],
        })
      : [];
    const answers = jobs.map((job) => job.get('result') as RecordedAnswer).filter(Boolean);
    const answer = answers.find((recorded) => recorded.sent) ?? answers[0];
    return replayed(
      decideSyncAnswer({
        executionStatus: status,
        executionReason: execution.get('reason') as string | null,
        answer: answer && { statusCode: answer.statusCode, headers: answer.headers ?? [], body: answer.body },
        timedOut: false,
        hasResponseNode: responseNodes.length > 0,
      }),
    );
  }
}

function replayed(answer: HttpAnswer): HttpAnswer {
  return { ...answer, headers: [...answer.headers, { name: REPLAYED_HEADER, value: 'true' }] };
}
