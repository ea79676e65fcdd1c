import { EXECUTION_REASON, EXECUTION_STATUS } from '@nocobase/plugin-workflow';

import type { HttpAnswer } from '../common/types';

/** What a synchronous run left behind, as far as the HTTP answer is concerned. */
export interface SyncOutcome {
  /** null when no execution could be created at all. */
  executionStatus: number | null;
  executionReason?: string | null;
  /** The Response node's answer, when one ran while the request was still open. */
  answer?: HttpAnswer;
  timedOut: boolean;
  hasResponseNode: boolean;
}

export const TIMEOUT_MESSAGE = 'The workflow did not finish within its timeout';
export const FAILURE_MESSAGE = 'The workflow failed before it answered; see its execution in NocoBase';

export function errorAnswer(statusCode: number, message: string): HttpAnswer {
  return { statusCode, headers: [], body: { errors: [{ message }] } };
}

export function decideSyncAnswer(outcome: SyncOutcome): HttpAnswer {
  if (outcome.answer) {
    return outcome.answer;
  }
  const abortedByTimeout =
    outcome.executionStatus === EXECUTION_STATUS.ABORTED && outcome.executionReason === EXECUTION_REASON.TIMEOUT;
  if (outcome.timedOut || abortedByTimeout) {
    return errorAnswer(408, TIMEOUT_MESSAGE);
  }
  if (outcome.executionStatus === EXECUTION_STATUS.RESOLVED && !outcome.hasResponseNode) {
    return { statusCode: 200, headers: [], body: '' };
  }
  return errorAnswer(500, FAILURE_MESSAGE);
}
