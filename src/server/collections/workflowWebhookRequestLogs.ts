import { defineCollection } from '@nocobase/database';

import { REQUEST_LOG_COLLECTION } from '../../common/requestLog';

/**
 * The last requests of each webhook workflow (by workflow key, so the log survives new versions). Written only by
 * the request log recorder, read by its list action; never credentials, and a body only where the admin asked.
 */
export default defineCollection({
  name: REQUEST_LOG_COLLECTION,
  // Diagnostic data: backups may leave it out, and a migration between environments carries only the table.
  dumpRules: { group: 'log' },
  migrationRules: ['schema-only'],
  timestamps: false,
  fields: [
    { type: 'snowflakeId', name: 'id', primaryKey: true, allowNull: false },
    { type: 'bigInt', name: 'workflowId' },
    { type: 'string', name: 'workflowKey', allowNull: false },
    // When the request arrived (not when the row was written: rows are written in batches).
    { type: 'datetime', name: 'createdAt', allowNull: false },
    { type: 'string', name: 'method', length: 16 },
    { type: 'integer', name: 'status' },
    { type: 'string', name: 'check', length: 32 },
    { type: 'text', name: 'message' },
    { type: 'string', name: 'ip', length: 64 },
    { type: 'integer', name: 'requestBytes' },
    { type: 'integer', name: 'durationMs' },
    { type: 'bigInt', name: 'executionId' },
    { type: 'boolean', name: 'replayed', defaultValue: false },
    // MySQL's plain TEXT holds 64 KB; a captured body may take more once decoded to UTF-8 text.
    { type: 'text', name: 'body', length: 'medium' },
  ],
  indexes: [{ fields: ['workflowKey', 'createdAt', 'id'] }],
});
