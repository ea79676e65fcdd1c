import type Database from '@nocobase/database';
import type { Model } from '@nocobase/database';

import type { TestCapture } from '../common/testCapture';
import testCapturesCollection from './collections/workflowWebhookTestCaptures';

export const TEST_CAPTURES_COLLECTION = testCapturesCollection.name;

/** A capture is shown this long, then ignored and deleted by the next listen. */
export const CAPTURE_TTL_MS = 10 * 60 * 1000;

function isUniqueViolation(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'SequelizeUniqueConstraintError';
}

/** The captured test requests, in the database so that whichever node serves the panel reads what another caught. */
export class TestCaptureStore {
  constructor(
    private readonly db: Database,
    private readonly ttlMs = CAPTURE_TTL_MS,
  ) {}

  private get repository() {
    return this.db.getRepository(TEST_CAPTURES_COLLECTION);
  }

  /** Before a new listening session: the key's last capture goes, and so do expired ones of any key. */
  async clear(key: string, now = Date.now()): Promise<void> {
    await this.repository.destroy({
      filter: { $or: [{ key }, { capturedAt: { $lt: new Date(now - this.ttlMs) } }] },
    });
  }

  /** False when this session's capture is already stored (another node of the cluster caught a request first). */
  async save(key: string, capture: TestCapture): Promise<boolean> {
    try {
      await this.repository.create({ values: { key, ...capture, capturedAt: new Date(capture.capturedAt) } });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) {
        return false;
      }
      throw error;
    }
  }

  async find(key: string, now = Date.now()): Promise<TestCapture | null> {
    const row: Model | null = await this.repository.findOne({
      filter: { key, capturedAt: { $gte: new Date(now - this.ttlMs) } },
    });
    if (!row) {
      return null;
    }
    return {
      method: row.get('method') as string,
      contentType: (row.get('contentType') as string | null) ?? null,
      headers: (row.get('headers') as TestCapture['headers'] | null) ?? {},
      querystring: (row.get('querystring') as string | null) ?? '',
      query: (row.get('query') as TestCapture['query']) ?? null,
      body: row.get('body') ?? null,
      capturedAt: new Date(row.get('capturedAt') as string | Date).toISOString(),
    };
  }
}
