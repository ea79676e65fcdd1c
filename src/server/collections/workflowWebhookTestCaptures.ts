import { defineCollection } from '@nocobase/database';

/**
 * The request caught by "Listen for test request", one row per workflow key: the primary key lets exactly one node
 * of a cluster store the capture of a listening session. Short-lived (see TestCaptureStore), never in backups.
 */
export default defineCollection({
  name: 'workflowWebhookTestCaptures',
  dataCategory: 'runtime',
  dumpRules: 'skipped',
  migrationRules: ['schema-only'],
  autoGenId: false,
  timestamps: false,
  fields: [
    { name: 'key', type: 'string', primaryKey: true },
    { name: 'method', type: 'string' },
    { name: 'contentType', type: 'string' },
    { name: 'headers', type: 'json' },
    { name: 'querystring', type: 'text' },
    { name: 'query', type: 'json' },
    { name: 'body', type: 'json' },
    { name: 'capturedAt', type: 'date' },
  ],
});
