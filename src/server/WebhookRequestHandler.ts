import type { Context } from 'koa';
import type { Logger } from '@nocobase/logger';
import type PluginWorkflowServer from '@nocobase/plugin-workflow';
import type { Processor, WorkflowModel } from '@nocobase/plugin-workflow';

import { BASIC_AUTH_REALM, RESPONSE_INSTRUCTION_TYPE } from '../common/constants';
import type { HttpAnswer, RequestHeaders, WebhookContext, WebhookTriggerConfig } from '../common/types';
import { credentialsMatch, parseBasicAuthorization } from './basicAuth';
import type { DeliveryRecorder } from './DeliveryRecorder';
import { applyHttpAnswer, buildAsyncAnswer } from './httpAnswer';
import { QueryStringError, buildWebhookContext } from './requestContext';
import { ResponseSlot } from './ResponseSlot';
import { SerialLane } from './SerialLane';
import { decideSyncAnswer, errorAnswer } from './syncAnswer';
import type { WebhookTrigger } from './WebhookTrigger';

interface ActionContext extends Context {
  action: { params: { filterByTk?: string } };
}

type RequestWithBody = Context['request'] & { body?: unknown };

/** Answers `POST /api/webhook:trigger/<workflow key>`; every other outcome is a status a sender can act on. */
export class WebhookRequestHandler {
  /**
   * The engine's synchronous runs open transactions; on SQLite (one writer, one shared in-memory connection) two at
   * once fail with "cannot start a transaction within a transaction", so there they take turns.
   */
  private readonly sqliteSyncLane = new SerialLane();

  constructor(
    private readonly workflowPlugin: PluginWorkflowServer,
    private readonly trigger: WebhookTrigger,
    private readonly recorder: DeliveryRecorder,
    private readonly logger: Logger,
  ) {}

  /** The `webhook:trigger` resource action, for requests that reach the resourcer (e.g. `?filterByTk=<key>`). */
  readonly action = async (ctx: ActionContext, next: () => Promise<void>): Promise<void> => {
    await this.respond(ctx, String(ctx.action.params.filterByTk ?? ''));
    await next();
  };

  async respond(ctx: Context, key: string): Promise<void> {
    applyHttpAnswer(ctx, await this.answer(ctx, key));
  }

  private async answer(ctx: Context, key: string): Promise<HttpAnswer> {
    if (ctx.method !== 'POST') {
      const answer = errorAnswer(405, `Method ${ctx.method} is not allowed: send a POST request`);
      return { ...answer, headers: [{ name: 'Allow', value: 'POST' }] };
    }
    const workflow = this.trigger.findEnabled(key);
    if (!workflow) {
      return errorAnswer(404, 'No enabled webhook workflow answers at this URL');
    }
    const config: WebhookTriggerConfig = workflow.config ?? {};
    if (config.basicAuthentication) {
      const given = parseBasicAuthorization(ctx.get('authorization') || undefined);
      if (!credentialsMatch(given, config.basicAuthentication)) {
        this.logger.info('webhook request refused: credentials missing or wrong', { workflowId: workflow.id });
        const answer = errorAnswer(401, 'Authentication required: the user name or password is missing or wrong');
        return {
          ...answer,
          headers: [{ name: 'WWW-Authenticate', value: `Basic realm="${BASIC_AUTH_REALM}", charset="UTF-8"` }],
        };
      }
    }
    let context: WebhookContext;
    try {
      context = buildWebhookContext(
        { headers: ctx.headers as RequestHeaders, querystring: ctx.querystring, body: (ctx.request as RequestWithBody).body },
        config.request ?? {},
      );
    } catch (error) {
      if (error instanceof QueryStringError) {
        return errorAnswer(error.status, error.message);
      }
      throw error;
    }
    return this.workflowPlugin.isWorkflowSync(workflow)
      ? this.runSync(ctx, workflow, context)
      : this.runAsync(workflow, context, config);
  }

  private async runAsync(workflow: WorkflowModel, context: WebhookContext, config: WebhookTriggerConfig) {
    try {
      await this.recorder.record(workflow, context);
    } catch {
      return errorAnswer(503, 'The delivery could not be recorded; please retry');
    }
    return buildAsyncAnswer(config.response, context);
  }

  private async runSync(ctx: Context, workflow: WorkflowModel, context: WebhookContext): Promise<HttpAnswer> {
    const slot = new ResponseSlot();
    const trigger = () =>
      Promise.resolve(
        this.workflowPlugin.trigger(workflow, context, { httpContext: ctx, webhookResponse: slot }),
      ) as Promise<Processor | null | void>;
    const timeout = Number(workflow.options?.timeout) || 0;
    // The lane holds until the run really ends (also past a timeout answer); the timeout counts from arrival.
    const run = this.workflowPlugin.db.options.dialect === 'sqlite' ? this.sqliteSyncLane.run(trigger) : trigger();
    const processor = await this.settleWithin(run, timeout, workflow);
    slot.close();
    if (processor === 'timeout') {
      return decideSyncAnswer({ executionStatus: null, answer: slot.answer, timedOut: true, hasResponseNode: false });
    }
    return decideSyncAnswer({
      executionStatus: processor ? processor.execution.status : null,
      executionReason: processor ? processor.execution.get('reason') : null,
      answer: slot.answer,
      timedOut: false,
      hasResponseNode: processor ? processor.nodes.some((node) => node.type === RESPONSE_INSTRUCTION_TYPE) : false,
    });
  }

  /**
   * The engine aborts a run at its timeout, but an instruction that ignores the abort signal would keep the sender
   * waiting: the request is answered at the timeout in any case, and the run goes on to be recorded.
   */
  private async settleWithin(
    run: Promise<Processor | null | void>,
    timeout: number,
    workflow: WorkflowModel,
  ): Promise<Processor | null | void | 'timeout'> {
    if (timeout <= 0) {
      return run;
    }
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeout + 50);
    });
    run.catch((error) => this.logger.error('synchronous webhook run failed', { error, workflowId: workflow.id }));
    try {
      return await Promise.race([run, expired]);
    } finally {
      clearTimeout(timer);
    }
  }
}
