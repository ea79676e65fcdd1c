import type PluginWorkflowServer from '@nocobase/plugin-workflow';

import { EngineHoldLane } from './EngineHoldLane';
import { EngineWriteLane } from './EngineWriteLane';
import { DIRECT_LANE } from './WriteLane';
import type { WriteLane } from './WriteLane';

export interface WriteLanes {
  /** Sync runs and request-log rows; null when the engine's dispatcher is not one the lanes know. */
  lane: WriteLane | null;
  /** Async deliveries; null: the same, and deliveries go through the engine's own trigger one by one. */
  deliveryLane: WriteLane | null;
}

/**
 * SQLite has one writer: the plugin's writes take turns with the engine's (EngineWriteLane). Elsewhere they run
 * alongside, and the deliveries' writes hold the engine's queue while they run (EngineHoldLane).
 */
export function writeLanesFor(workflowPlugin: PluginWorkflowServer, dialect: string | undefined): WriteLanes {
  if (dialect === 'sqlite') {
    const lane = EngineWriteLane.of(workflowPlugin);
    return { lane, deliveryLane: lane };
  }
  return { lane: DIRECT_LANE, deliveryLane: EngineHoldLane.of(workflowPlugin) ?? DIRECT_LANE };
}
