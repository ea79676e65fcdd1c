import type { Database, Model } from '@nocobase/database';
import { Op } from '@nocobase/database';

import { TRIGGER_TYPE } from '../common/constants';
import { REQUEST_LOG_COLLECTION } from '../common/requestLog';
import type { RequestLogEntry } from '../common/requestLog';
import type { WebhookTriggerConfig } from '../common/types';
import { insertShapeOf, multiRowInsert } from './multiRowInsert';
import type { InsertShape } from './multiRowInsert';

/** A row of the request log as it is written: an entry without its id (generated here), arrival as a date. */
export type RequestLogRow = Omit<RequestLogEntry, 'id' | 'createdAt'> & { createdAt: Date };

/** The current stored webhook workflow of a key. */
export interface StoredWorkflow {
  id: string | number;
  key: string;
  config: WebhookTriggerConfig | undefined;
}

/** What the request log recorder needs of its table. */
export interface RequestLogStore {
  insert(rows: readonly RequestLogRow[]): Promise<void>;
  /** Keeps the `limit` newest rows of a key. */
  prune(workflowKey: string, limit: number): Promise<void>;
  currentWorkflows(keys: readonly string[]): Promise<StoredWorkflow[]>;
}

const COLUMNS: ReadonlyArray<keyof RequestLogRow | 'id'> = [
  'id',
  'workflowId',
  'workflowKey',
  'createdAt',
  'method',
  'status',
  'check',
  'message',
  'ip',
  'requestBytes',
  'durationMs',
  'executionId',
  'replayed',
  'body',
];

/** The `workflowWebhookRequestLogs` collection. */
export class RequestLogTable implements RequestLogStore {
  private shape?: InsertShape;

  constructor(
    private readonly db: Database,
    private readonly generateId: () => unknown,
  ) {}

  /** One bound-parameter INSERT for the batch (ids generated here, as the model's snowflake hook would). */
  async insert(rows: readonly RequestLogRow[]): Promise<void> {
    this.shape ??= insertShapeOf(this.db, REQUEST_LOG_COLLECTION, COLUMNS);
    const { sql, bind } = multiRowInsert(
      this.db,
      this.shape,
      rows.map((row) => ({ ...row, id: this.generateId() })),
    );
    await this.db.sequelize.query(sql, { bind });
  }

  /** Newest by arrival, then id, as the list action sorts them. */
  async prune(workflowKey: string, limit: number): Promise<void> {
    const Model = this.db.getModel(REQUEST_LOG_COLLECTION);
    const oldestKept = await Model.findOne({
      where: { workflowKey },
      order: [
        ['createdAt', 'DESC'],
        ['id', 'DESC'],
      ],
      offset: limit - 1,
      attributes: ['id', 'createdAt'],
    });
    if (!oldestKept) {
      return;
    }
    const createdAt = oldestKept.get('createdAt');
    const id = oldestKept.get('id');
    await Model.destroy({
      where: {
        workflowKey,
        [Op.or]: [{ createdAt: { [Op.lt]: createdAt } }, { createdAt, id: { [Op.lt]: id } }],
      },
    });
  }

  async currentWorkflows(keys: readonly string[]): Promise<StoredWorkflow[]> {
    const workflows: Model[] = await this.db.getRepository('workflows').find({
      filter: { key: { $in: keys }, current: true, type: TRIGGER_TYPE },
      fields: ['id', 'key', 'config'],
    });
    return workflows.map((workflow) => ({
      id: workflow.get('id') as string | number,
      key: workflow.get('key') as string,
      config: workflow.get('config') as WebhookTriggerConfig | undefined,
    }));
  }
}
