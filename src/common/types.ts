export interface HeaderRow {
  key: string;
  alias?: string;
}

/** A query or body row: `key` is a lodash path into the parsed input, `_var` the stable variable name. */
export interface PathRow {
  key: string;
  alias?: string;
  _var?: string;
}

export interface ResponseHeader {
  name: string;
  value: string;
}

export interface BasicAuthCredentials {
  username: string;
  password: string;
}

/** Body types the trigger parses: JSON, `application/x-www-form-urlencoded`, text, XML, multipart text fields. */
export type BodyType = 'json' | 'form' | 'text' | 'xml' | 'multipart';

export interface WebhookRequestConfig {
  headers?: HeaderRow[];
  query?: PathRow[];
  body?: PathRow[];
  /** Content types accepted; absent or empty accepts every type (each parsed by its Content-Type). Others get 415. */
  contentTypes?: BodyType[];
  /** Also keep the exact text received as `$context.rawBody`. */
  rawBody?: boolean;
}

/** The per-workflow request log: the last `limit` requests, without bodies unless `captureBody`. */
export interface RequestLogConfig {
  enabled: boolean;
  limit?: number;
  captureBody?: boolean;
}

export interface WebhookResponseConfig {
  statusCode?: number;
  headers?: ResponseHeader[];
  body?: unknown;
}

export type SignatureAlgorithm = 'sha1' | 'sha256' | 'sha512';
export type SignatureEncoding = 'hex' | 'base64';
/**
 * How the signature header is laid out. `plain`: `[prefix]<digest>`; `stripe`: `t=<ts>,v1=<digest>[,v1=...]`;
 * `standardWebhooks`: space-separated `v1,<base64 digest>` entries.
 */
export type SignatureFormat = 'plain' | 'stripe' | 'standardWebhooks';
export type SignaturePreset = 'custom' | 'github' | 'stripe' | 'slack' | 'shopify' | 'standardWebhooks';

/** HMAC over the exact bytes received. Secrets may be `{{$env.NAME}}` variables, rendered at request time. */
export interface SignatureConfig {
  preset?: SignaturePreset;
  algorithm: SignatureAlgorithm;
  /** The request header that holds the signature. */
  header: string;
  format?: SignatureFormat;
  /** `plain` format only: text before the digest, e.g. `sha256=` or `v0=`. */
  prefix?: string;
  encoding: SignatureEncoding;
  /** What is signed: `{body}` (the raw bytes), `{timestamp}` and `{id}` placeholders; default `{body}`. */
  payload?: string;
  /** Header holding the delivery's Unix timestamp in seconds (the `stripe` format reads `t=` instead). */
  timestampHeader?: string;
  /** Header holding the delivery id, for `{id}`. */
  idHeader?: string;
  /** How far (seconds) a timestamp may be from now; default 300. */
  toleranceSeconds?: number;
  /** Any of these secrets may have signed (key rotation). A `whsec_` secret is a base64 key, except for Stripe. */
  secrets: string[];
}

/** A shared token in a named header; the header `authorization` expects `Bearer <token>`. */
export interface HeaderTokenConfig {
  header: string;
  token: string;
}

export type JwtAlgorithm = 'HS256' | 'HS384' | 'HS512' | 'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384' | 'ES512';

/** A JWT in a header (`authorization` expects `Bearer <jwt>`); HS* use `secret`, RS* and ES* use `publicKey` (PEM). */
export interface JwtConfig {
  header?: string;
  algorithms: JwtAlgorithm[];
  secret?: string;
  publicKey?: string;
  issuer?: string;
  audience?: string;
}

/** IPv4 / IPv6 addresses and CIDR ranges allowed to call. */
export interface IpAllowListConfig {
  ranges: string[];
}

export type IdempotencySource = 'header' | 'body';

export interface IdempotencyConfig {
  source: IdempotencySource;
  /** A header name, or a lodash path into the body. */
  key: string;
  /** How long a repeated key is answered from the first delivery; default 86400 s. */
  windowSeconds?: number;
}

export interface RateLimitConfig {
  /** Requests allowed per window, per workflow. */
  limit: number;
  windowSeconds: number;
}

export interface WebhookTriggerConfig {
  basicAuthentication?: false | BasicAuthCredentials;
  signature?: false | SignatureConfig;
  headerToken?: false | HeaderTokenConfig;
  jwt?: false | JwtConfig;
  ipAllowList?: false | IpAllowListConfig;
  idempotency?: false | IdempotencyConfig;
  rateLimit?: false | RateLimitConfig;
  requestLog?: RequestLogConfig;
  request?: WebhookRequestConfig;
  response?: WebhookResponseConfig;
}

export type ResponseNodeConfig = WebhookResponseConfig;

export type RequestHeaders = Record<string, string | string[] | undefined>;

/** What a webhook execution holds as `$context`. */
export interface WebhookContext {
  headers: Record<string, string | string[]>;
  query: Record<string, unknown>;
  body: unknown;
  /** The verified JWT's claims, when the trigger checks a JWT. */
  auth?: Record<string, unknown>;
  /** The exact text received, when the trigger keeps it. */
  rawBody?: string;
}

/** An HTTP answer as it is sent and as the Response node records it. */
export interface HttpAnswer {
  statusCode: number;
  headers: ResponseHeader[];
  body: unknown;
}
