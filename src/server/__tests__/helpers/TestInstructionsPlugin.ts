import { Plugin } from '@nocobase/server';
import PluginWorkflowServer, { JOB_STATUS } from '@nocobase/plugin-workflow';
import type { FlowNodeModel, Processor } from '@nocobase/plugin-workflow';

/**
 * Test fixtures only: a node that takes time (`abortable: false` makes it ignore the engine's abort signal, the way a
 * slow third-party call might, to prove the request is still answered at the timeout), and a node that reads its
 * workflow version's `executed` counter from the database while the execution runs.
 */
export class TestInstructionsPlugin extends Plugin {
  async load() {
    const workflowPlugin = this.app.pm.get(PluginWorkflowServer) as PluginWorkflowServer;
    workflowPlugin.registerInstruction('test-sleep', {
      async run(node: FlowNodeModel, _input: unknown, _processor: unknown, options?: { signal?: AbortSignal }) {
        const { ms = 100, abortable = true } = node.config as { ms?: number; abortable?: boolean };
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, ms);
          if (abortable) {
            options?.signal?.addEventListener('abort', () => {
              clearTimeout(timer);
              reject(options.signal?.reason ?? new Error('aborted'));
            });
          }
        });
        return { status: JOB_STATUS.RESOLVED, result: { slept: ms } };
      },
    });
    workflowPlugin.registerInstruction('test-version-count', {
      run: async (_node: FlowNodeModel, _input: unknown, processor: Processor) => {
        const stats = await this.db.getRepository('workflowVersionStats').findOne({ filterByTk: processor.execution.workflowId });
        return { status: JOB_STATUS.RESOLVED, result: { executed: Number(stats?.get('executed') ?? 0) } };
      },
    });
  }
}
