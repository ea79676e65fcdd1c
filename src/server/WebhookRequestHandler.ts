import type { Context } from 'koa';
import type { Logger } from '@nocobase/logger';
import type PluginWorkflowServer from '@nocobase/plugin-workflow';
import type { Processor, WorkflowModel } from '@nocobase/plugin-workflow';

import { RESPONSE_INSTRUCTION_TYPE } from '../common/constants';
import type {
  HttpAnswer,
  IdempotencyConfig,
  RequestHeaders,
  WebhookContext,
  WebhookTriggerConfig,
} from '../common/types';
import type { DeliveryInterceptor, DeliveryObserver, DeliveryOutcome, ExecutionId, Verdict } from './DeliveryOutcome';
import type { DeliveryRecorder } from './DeliveryRecorder';
import { applyHttpAnswer, buildAsyncAnswer } from './httpAnswer';
import { DEFAULT_IDEMPOTENCY_WINDOW_SECONDS, idempotencyKeyOf, idempotentEventKey } from './idempotencyKey';
import { IdempotencyStore, isDuplicateEventKey } from './IdempotencyStore';
import { QueryStringError, buildWebhookContext } from './requestContext';
import type { RequestGuard } from './RequestGuard';
import { ResponseSlot } from './ResponseSlot';
import { EngineSyncRuns, SyncRecordError } from './SyncRuns';
import type { SyncRuns } from './SyncRuns';
import { decideSyncAnswer, errorAnswer } from './syncAnswer';
import { refuseContentType } from './contentTypes';
import { bodyLimitFromSetting, parseWebhookBody, rawBytesOf, rawTextOf, readWebhookBody } from './webhookBody';
import type { WebhookTrigger } from './WebhookTrigger';
import { DIRECT_LANE } from './WriteLane';
import type { WriteLane } from './WriteLane';

const NO_SECRET_HEADERS: readonly string[] = Object.freeze([]);

/** Headers that carry a credential of this trigger and must not be stored in clear with the execution. */
function secretHeadersOf(config: WebhookTriggerConfig): readonly string[] {
  if (!(config.headerToken && config.headerToken.header) && !config.jwt) {
    return NO_SECRET_HEADERS;
  }
  const names = [config.headerToken && config.headerToken.header, config.jwt && (config.jwt.header || 'authorization')];
  return names.filter((name): name is string => Boolean(name)).map((name) => name.toLowerCase());
}

/** A delivery that could not be stored: 503, so that the sender retries. */
function recordFailure(): Verdict {
  return { answer: errorAnswer(503, 'The delivery could not be recorded; please retry'), refusal: 'record' };
}

/** A delivery whose event key another delivery already holds: it is answered from that one. */
const DUPLICATE = Symbol('duplicate delivery');

/** Without an idempotency key nothing else can hold the event key; a clash is then a failure to record. */
function settleDuplicate(verdict: Verdict | typeof DUPLICATE): Verdict {
  return verdict === DUPLICATE
    ? { answer: errorAnswer(409, 'A delivery with this idempotency key was already received'), refusal: 'record' }
    : verdict;
}

interface ActionContext extends Context {
  action: { params: { filterByTk?: string } };
}

type RequestWithBody = Context['request'] & { body?: unknown };

/** Answers `POST /api/webhook:trigger/<workflow key>`; every other outcome is a status a sender can act on. */
export class WebhookRequestHandler {
  /** The last delivery of each idempotency key still being handled here; the next one with that key waits for it. */
  private readonly deliveriesInFlight = new Map<string, Promise<Verdict | typeof DUPLICATE>>();
  /**
   * Read once, as the plugin loads, as NocoBase reads `REQUEST_BODY_LIMIT` when it builds its body parser: a request
   * reads no environment (one `process.env` read per request was about 0.7% of the async webhook's CPU when profiled).
   */
  readonly bodyLimitBytes = bodyLimitFromSetting(process.env.REQUEST_BODY_LIMIT);

  constructor(
    private readonly workflowPlugin: PluginWorkflowServer,
    private readonly trigger: WebhookTrigger,
    private readonly recorder: DeliveryRecorder,
    private readonly guard: RequestGuard,
    private readonly idempotency: IdempotencyStore,
    private readonly logger: Logger,
    /**
     * Where synchronous runs go. They open transactions; on SQLite (one writer, one shared in-memory connection) they
     * take turns with the engine's executions and the plugin's own writes.
     */
    private readonly syncLane: Pick<WriteLane, 'run'> = DIRECT_LANE,
    private readonly syncRuns: SyncRuns = new EngineSyncRuns(workflowPlugin),
  ) {}

  /** The `webhook:trigger` resource action, for requests that reach the resourcer (e.g. `?filterByTk=<key>`). */
  readonly action = async (ctx: ActionContext, next: () => Promise<void>): Promise<void> => {
    await this.respond(ctx, String(ctx.action.params.filterByTk ?? ''));
    await next();
  };

  private readonly interceptors: DeliveryInterceptor[] = [];
  private readonly observers: DeliveryObserver[] = [];

  addInterceptor(interceptor: DeliveryInterceptor): void {
    this.interceptors.push(interceptor);
  }

  addObserver(observer: DeliveryObserver): void {
    this.observers.push(observer);
  }

  async respond(ctx: Context, key: string): Promise<void> {
    const receivedAt = new Date();
    const verdict = await this.decide(ctx, key);
    applyHttpAnswer(ctx, verdict.answer);
    const outcome: DeliveryOutcome = {
      ...verdict,
      key,
      receivedAt,
      durationMs: Date.now() - receivedAt.getTime(),
      requestBytes: rawBytesOf(ctx).length,
    };
    for (const observer of this.observers) {
      try {
        observer.observe(ctx, outcome);
      } catch (error) {
        this.logger.error('webhook delivery observer failed', { error });
      }
    }
  }

  private async decide(ctx: Context, key: string): Promise<Verdict> {
    // A small body is read and parsed without a promise; awaiting only what is one saves two suspensions a request.
    const reading = readWebhookBody(ctx, this.bodyLimitBytes);
    const readRefusal = reading instanceof Promise ? await reading : reading;
    if (readRefusal) {
      return { answer: readRefusal, refusal: 'body', workflow: this.trigger.findEnabled(key) };
    }
    const parsing = parseWebhookBody(ctx);
    const parsed = parsing instanceof Promise ? await parsing : parsing;
    for (const interceptor of this.interceptors) {
      const answer = await interceptor.intercept(ctx, key);
      if (answer) {
        return { answer };
      }
    }
    if (ctx.method !== 'POST') {
      const answer = errorAnswer(405, `Method ${ctx.method} is not allowed: send a POST request`);
      return { answer: { ...answer, headers: [{ name: 'Allow', value: 'POST' }] }, refusal: 'method' };
    }
    const workflow = this.trigger.findEnabled(key);
    if (!workflow) {
      return { answer: errorAnswer(404, 'No enabled webhook workflow answers at this URL'), refusal: 'not-found' };
    }
    const config: WebhookTriggerConfig = workflow.config ?? {};
    const unaccepted = refuseContentType(config.request?.contentTypes, parsed.type, rawBytesOf(ctx).length);
    if (unaccepted) {
      return { answer: unaccepted, workflow, refusal: 'body' };
    }
    const headers = ctx.headers as RequestHeaders;
    const guard = await this.guard.check(workflow, config, { ip: ctx.ip, headers, rawBody: rawBytesOf(ctx) });
    if (!guard.passed) {
      return { answer: guard.answer, workflow, refusal: guard.check };
    }
    // Only a sender that passed the checks learns what is wrong with its body.
    if (!parsed.ok) {
      return { answer: parsed.answer, workflow, refusal: 'body' };
    }
    const body = (ctx.request as RequestWithBody).body;
    // Before the body gets its rows (buildWebhookContext adds them to the parsed body itself).
    const idempotencyKey = config.idempotency ? idempotencyKeyOf(config.idempotency, headers, body) : null;
    let context: WebhookContext;
    try {
      context = buildWebhookContext({ headers: ctx.req.headers, querystring: ctx.querystring, body }, config.request ?? {}, secretHeadersOf(config));
    } catch (error) {
      if (error instanceof QueryStringError) {
        return { answer: errorAnswer(error.status, error.message), workflow, refusal: 'query' };
      }
      throw error;
    }
    if (guard.auth) {
      context.auth = guard.auth;
    }
    if (config.request?.rawBody) {
      context.rawBody = rawTextOf(ctx);
    }
    const deliver = (eventKey?: string) =>
      this.workflowPlugin.isWorkflowSync(workflow)
        ? this.runSync(ctx, workflow, context, eventKey)
        : this.runAsync(workflow, context, config, eventKey);
    const verdict =
      !config.idempotency || idempotencyKey === null
        ? settleDuplicate(await deliver())
        : await this.deliverOnce(workflow, config.idempotency, idempotentEventKey(workflow.key, idempotencyKey), deliver);
    return { ...verdict, workflow };
  }

  /**
   * Deliveries with the same key take turns in this process, and the database's unique event key settles races
   * between the nodes of a cluster: the first runs, the others get its answer again.
   */
  private async deliverOnce(
    workflow: WorkflowModel,
    idempotency: IdempotencyConfig,
    eventKey: string,
    deliver: (eventKey: string) => Promise<Verdict | typeof DUPLICATE>,
  ): Promise<Verdict> {
    const windowSeconds = idempotency.windowSeconds ?? DEFAULT_IDEMPOTENCY_WINDOW_SECONDS;
    const replay = async (): Promise<Verdict | null> => {
      const first = await this.idempotency.findRecent(eventKey, windowSeconds);
      if (!first) {
        return null;
      }
      const answer = this.workflowPlugin.isWorkflowSync(workflow)
        ? await this.idempotency.replaySync(first)
        : this.idempotency.replayAsync(first, (workflow.config as WebhookTriggerConfig | undefined)?.response);
      return { answer, executionId: first.id, replayed: true };
    };
    const turn = (this.deliveriesInFlight.get(eventKey) ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => (await replay()) ?? (await deliver(eventKey)));
    this.deliveriesInFlight.set(eventKey, turn);
    try {
      const answer = await turn;
      return answer === DUPLICATE ? ((await replay()) ?? settleDuplicate(answer)) : answer;
    } finally {
      if (this.deliveriesInFlight.get(eventKey) === turn) {
        this.deliveriesInFlight.delete(eventKey);
      }
    }
  }

  private async runAsync(
    workflow: WorkflowModel,
    context: WebhookContext,
    config: WebhookTriggerConfig,
    eventKey?: string,
  ): Promise<Verdict | typeof DUPLICATE> {
    let executionId: ExecutionId | void;
    try {
      executionId = await this.recorder.record(workflow, context, eventKey);
    } catch (error) {
      if (isDuplicateEventKey(error)) {
        return DUPLICATE;
      }
      return recordFailure();
    }
    return { answer: buildAsyncAnswer(config.response, context), executionId: executionId ?? undefined };
  }

  private async runSync(
    ctx: Context,
    workflow: WorkflowModel,
    context: WebhookContext,
    eventKey?: string,
  ): Promise<Verdict | typeof DUPLICATE> {
    const slot = new ResponseSlot();
    const timeout = Number(workflow.options?.timeout) || 0;
    // The lane holds until the run really ends (also past a timeout answer); the timeout counts from arrival.
    const run = this.syncLane.run(() => this.syncRuns.run(workflow, context, { httpContext: ctx, webhookResponse: slot, eventKey }));
    let processor: Processor | null | 'timeout';
    try {
      processor = await this.settleWithin(run, timeout, workflow);
    } catch (error) {
      slot.close();
      if (isDuplicateEventKey(error)) {
        return DUPLICATE;
      }
      if (error instanceof SyncRecordError) {
        return recordFailure();
      }
      throw error;
    }
    slot.close();
    if (processor === 'timeout') {
      const answer = decideSyncAnswer({ executionStatus: null, answer: slot.answer, timedOut: true, hasResponseNode: false });
      return { answer };
    }
    const answer = decideSyncAnswer({
      executionStatus: processor ? processor.execution.status : null,
      executionReason: processor ? processor.execution.get('reason') : null,
      answer: slot.answer,
      timedOut: false,
      hasResponseNode: processor ? processor.nodes.some((node) => node.type === RESPONSE_INSTRUCTION_TYPE) : false,
    });
    return { answer, executionId: processor ? processor.execution.id : undefined };
  }

  /**
   * The engine aborts a run at its timeout, but an instruction that ignores the abort signal would keep the sender
   * waiting: the request is answered at the timeout in any case, and the run goes on to be recorded.
   */
  private async settleWithin(
    run: Promise<Processor | null>,
    timeout: number,
    workflow: WorkflowModel,
  ): Promise<Processor | null | 'timeout'> {
    if (timeout <= 0) {
      return run;
    }
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeout + 50);
    });
    run.catch((error) => {
      // Refusals before the run (a duplicate event key, a failed write) are answered by the caller if still waiting.
      if (!isDuplicateEventKey(error) && !(error instanceof SyncRecordError)) {
        this.logger.error('synchronous webhook run failed', { error, workflowId: workflow.id });
      }
    });
    try {
      return await Promise.race([run, expired]);
    } finally {
      clearTimeout(timer);
    }
  }
}
