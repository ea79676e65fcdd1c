import type { Logger } from '@nocobase/logger';
import type { WorkflowModel } from '@nocobase/plugin-workflow';

import { BASIC_AUTH_REALM } from '../common/constants';
import type { HttpAnswer, IpAllowListConfig, RequestHeaders, WebhookTriggerConfig } from '../common/types';
import { credentialsMatch, parseBasicAuthorization } from './basicAuth';
import type { RefusalCheck } from './DeliveryOutcome';
import { checkHeaderToken } from './security/headerToken';
import { compileAllowList } from './security/ipAllowList';
import type { AllowList } from './security/ipAllowList';
import { verifyJwt } from './security/jwtAuth';
import type { RateLimiter } from './security/rateLimit';
import { resolveSecrets } from './security/resolveSecrets';
import type { TemplateEnvironment } from './security/resolveSecrets';
import type { SecurityCheck } from './security/SecurityCheck';
import { verifySignature } from './security/signature';
import { errorAnswer } from './syncAnswer';

/** What the guard needs to know of a request. */
export interface GuardedRequest {
  ip: string;
  headers: RequestHeaders;
  rawBody: Buffer;
}

export type GuardResult =
  | { passed: true; auth?: Record<string, unknown> }
  | { passed: false; answer: HttpAnswer; check: RefusalCheck };

function refuse(check: RefusalCheck, statusCode: number, message: string, headers: HttpAnswer['headers'] = []): GuardResult {
  return { passed: false, check, answer: { ...errorAnswer(statusCode, message), headers } };
}

/**
 * The trigger's optional checks, cheapest and least revealing first: the caller's address (403), the rate limit
 * (429), then every configured credential (401). All configured credentials must pass.
 */
export class RequestGuard {
  /** Compiled allow-lists, per config object (a workflow's config is replaced, never mutated, when it changes). */
  private readonly allowLists = new WeakMap<IpAllowListConfig, AllowList>();

  constructor(
    private readonly environment: TemplateEnvironment,
    private readonly rateLimiter: RateLimiter,
    private readonly logger: Logger,
  ) {}

  async check(workflow: WorkflowModel, stored: WebhookTriggerConfig, request: GuardedRequest): Promise<GuardResult> {
    if (stored.ipAllowList && !this.allowListOf(stored.ipAllowList).allows(request.ip)) {
      this.logger.info('webhook request refused: caller address not allowed', { workflowId: workflow.id, ip: request.ip });
      return refuse('ip', 403, 'Requests from this address are not allowed');
    }
    if (stored.rateLimit) {
      const decision = await this.rateLimiter.take(workflow.key, stored.rateLimit);
      if (!decision.allowed) {
        return refuse('rate-limit', 429, 'Too many requests for this webhook; retry later', [
          { name: 'Retry-After', value: String(decision.retryAfterSeconds) },
        ]);
      }
    }
    return this.authenticate(workflow, resolveSecrets(stored, this.environment), request);
  }

  private authenticate(workflow: WorkflowModel, config: WebhookTriggerConfig, request: GuardedRequest): GuardResult {
    const { headers } = request;
    if (config.basicAuthentication) {
      const given = parseBasicAuthorization(firstValue(headers.authorization));
      if (!credentialsMatch(given, config.basicAuthentication)) {
        return this.unauthorized(workflow, 'basic', 'Authentication required: the user name or password is missing or wrong', [
          { name: 'WWW-Authenticate', value: `Basic realm="${BASIC_AUTH_REALM}", charset="UTF-8"` },
        ]);
      }
    }
    const checks: Array<[RefusalCheck, () => SecurityCheck]> = [];
    if (config.headerToken) {
      const headerToken = config.headerToken;
      checks.push(['token', () => checkHeaderToken(headers, headerToken)]);
    }
    let auth: Record<string, unknown> | undefined;
    if (config.jwt) {
      const jwt = config.jwt;
      checks.push([
        'jwt',
        () => {
          const result = verifyJwt(headers, jwt);
          if (result.ok) {
            auth = result.claims;
          }
          return result;
        },
      ]);
    }
    if (config.signature) {
      const signature = config.signature;
      checks.push([
        'signature',
        () => verifySignature({ rawBody: request.rawBody, headers, nowSeconds: Math.floor(Date.now() / 1000) }, signature),
      ]);
    }
    for (const [name, run] of checks) {
      const result = run();
      if (!result.ok) {
        return this.unauthorized(workflow, name, `Authentication failed: ${result.reason}`);
      }
    }
    return { passed: true, auth };
  }

  private unauthorized(workflow: WorkflowModel, check: RefusalCheck, message: string, headers: HttpAnswer['headers'] = []) {
    this.logger.info('webhook request refused', { workflowId: workflow.id, check });
    return refuse(check, 401, message, headers);
  }

  private allowListOf(config: IpAllowListConfig): AllowList {
    let compiled = this.allowLists.get(config);
    if (!compiled) {
      compiled = compileAllowList(config.ranges);
      this.allowLists.set(config, compiled);
    }
    return compiled;
  }
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
