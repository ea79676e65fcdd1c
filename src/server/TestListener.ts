import type { Context } from 'koa';
import type { Logger } from '@nocobase/logger';
import type { PubSubManager } from '@nocobase/server';

import { CAPTURED_MESSAGE } from '../common/testCapture';
import type { TestCapture } from '../common/testCapture';
import type { HttpAnswer, WebhookTriggerConfig } from '../common/types';
import type { DeliveryInterceptor } from './DeliveryOutcome';
import { QueryStringError, maskIncomingHeaders, parseQueryString } from './requestContext';
import { errorAnswer } from './syncAnswer';
import type { TestCaptureStore } from './TestCaptureStore';

const CHANNEL = 'workflow-webhook.test-listening';

/** Broadcast to every node: listen to a key for `durationMs` from receipt, or stop (0). */
interface ListenMessage {
  key: string;
  durationMs: number;
}

function isListenMessage(message: unknown): message is ListenMessage {
  const { key, durationMs } = (message ?? {}) as Partial<ListenMessage>;
  return typeof key === 'string' && typeof durationMs === 'number' && durationMs >= 0;
}

type RequestWithBody = Context['request'] & { body?: unknown };

/** Headers that carry a credential in any revision of the workflow (token, JWT, signature). */
export function testSecretHeadersOf(configs: readonly WebhookTriggerConfig[]): string[] {
  const names = configs.flatMap((config) => [
    config.headerToken && config.headerToken.header,
    config.jwt && (config.jwt.header || 'authorization'),
    config.signature && config.signature.header,
  ]);
  return [...new Set(names.filter((name): name is string => Boolean(name)).map((name) => name.toLowerCase()))];
}

export function captureRequest(ctx: Context, secretHeaders: readonly string[], now = new Date()): TestCapture {
  let query: Record<string, unknown> | null;
  try {
    query = parseQueryString(ctx.querystring);
  } catch (error) {
    if (!(error instanceof QueryStringError)) {
      throw error;
    }
    query = null;
  }
  return {
    method: ctx.method,
    contentType: ctx.get('content-type') || null,
    headers: maskIncomingHeaders(ctx.req.headers, secretHeaders),
    querystring: ctx.querystring,
    query,
    body: (ctx.request as RequestWithBody).body ?? null,
    capturedAt: now.toISOString(),
  };
}

const CAPTURED_ANSWER: HttpAnswer = { statusCode: 200, headers: [], body: { captured: true, message: CAPTURED_MESSAGE } };

export interface TestListenerOptions {
  pubSub: PubSubManager;
  store: TestCaptureStore;
  /** The trigger configs of every revision with this key, enabled or not: their credential headers are masked. */
  configsOf(key: string): Promise<WebhookTriggerConfig[]>;
  durationMs: number;
  logger: Logger;
}

/**
 * "Listen for test request": the next request to a workflow's URL, whatever its method and whether or not the
 * workflow is enabled, is stored for its trigger panel and answered without running the workflow. Every node keeps
 * the keys it listens to in memory (kept in step by pub-sub broadcasts), so other requests cost one map lookup.
 */
export class TestListener implements DeliveryInterceptor {
  /** workflow key -> end of listening (ms since epoch). */
  private readonly listeningUntil = new Map<string, number>();

  constructor(private readonly options: TestListenerOptions) {}

  async subscribe(): Promise<void> {
    await this.options.pubSub.subscribe(CHANNEL, this.onMessage);
  }

  remainingMs(key: string, now = Date.now()): number {
    const until = this.listeningUntil.get(key);
    if (until === undefined) {
      return 0;
    }
    if (until <= now) {
      this.listeningUntil.delete(key);
      return 0;
    }
    return until - now;
  }

  /** Starts a new session: the key's previous capture is dropped, every node listens. */
  async listen(key: string): Promise<void> {
    await this.options.store.clear(key);
    await this.broadcast({ key, durationMs: this.options.durationMs });
  }

  async stop(key: string): Promise<void> {
    await this.broadcast({ key, durationMs: 0 });
  }

  async intercept(ctx: Context, key: string): Promise<HttpAnswer | null> {
    if (!this.remainingMs(key)) {
      return null;
    }
    // Claimed before any await: requests arriving meanwhile on this node run normally.
    this.listeningUntil.delete(key);
    let stored: boolean;
    try {
      const secretHeaders = testSecretHeadersOf(await this.options.configsOf(key));
      stored = await this.options.store.save(key, captureRequest(ctx, secretHeaders));
    } catch (error) {
      this.options.logger.error('webhook test request could not be stored', { error, key });
      return errorAnswer(503, 'The test request could not be stored; start listening again in the trigger panel');
    }
    if (!stored) {
      // Another node of the cluster caught a request of this session first.
      return null;
    }
    try {
      await this.broadcast({ key, durationMs: 0 });
    } catch (error) {
      // Other nodes still listening can only fail to store a second capture; their requests then run normally.
      this.options.logger.warn('webhook test listening: stop not broadcast', { error, key });
    }
    return CAPTURED_ANSWER;
  }

  private apply({ key, durationMs }: ListenMessage): void {
    if (durationMs > 0) {
      this.listeningUntil.set(key, Date.now() + durationMs);
    } else {
      this.listeningUntil.delete(key);
    }
  }

  private async broadcast(message: ListenMessage): Promise<void> {
    this.apply(message);
    const { pubSub } = this.options;
    // A single node runs without a pub-sub adapter: applying the message here is all there is to do.
    if (await pubSub.isConnected()) {
      await pubSub.publish(CHANNEL, message, { skipSelf: true });
    }
  }

  private readonly onMessage = async (message: unknown): Promise<void> => {
    if (isListenMessage(message)) {
      this.apply(message);
    }
  };
}
