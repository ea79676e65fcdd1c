import type { Context } from 'koa';
import type { WorkflowModel } from '@nocobase/plugin-workflow';

import type { HttpAnswer } from '../common/types';

/** Which step refused a request (no execution was created). */
export type RefusalCheck =
  | 'method'
  | 'not-found'
  | 'body'
  | 'ip'
  | 'rate-limit'
  | 'basic'
  | 'token'
  | 'jwt'
  | 'signature'
  | 'query'
  | 'record';

export type ExecutionId = string | number;

/** What the handler decided for one request. */
export interface Verdict {
  answer: HttpAnswer;
  workflow?: WorkflowModel;
  refusal?: RefusalCheck;
  executionId?: ExecutionId;
  /** Answered from an earlier delivery with the same idempotency key. */
  replayed?: boolean;
}

/** A request as it was answered, for observers such as the request log. */
export interface DeliveryOutcome extends Verdict {
  key: string;
  receivedAt: Date;
  durationMs: number;
  requestBytes: number;
}

/** Sees every answered webhook request; must not throw and must not delay the answer. */
export interface DeliveryObserver {
  observe(ctx: Context, outcome: DeliveryOutcome): void;
}

/** May answer a webhook request before the workflow is looked up (e.g. a test capture); null lets it through. */
export interface DeliveryInterceptor {
  intercept(ctx: Context, key: string): Promise<HttpAnswer | null>;
}
