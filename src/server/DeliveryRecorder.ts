import type { WorkflowModel } from '@nocobase/plugin-workflow';

import type { WebhookContext } from '../common/types';
import type { ExecutionId } from './DeliveryOutcome';

/** Stores an async delivery as a queueing execution; resolves only once the row is committed. */
export interface DeliveryRecorder {
  /** `eventKey` (unique among executions) makes a second delivery with the same key fail with a unique error. */
  record(workflow: WorkflowModel, context: WebhookContext, eventKey?: string): Promise<ExecutionId | void>;
  /** Waits until every delivery handed over so far is settled. */
  drain(): Promise<void>;
  /** Releases what it keeps open on the database, once drained. */
  close?(): Promise<void>;
}
