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

export interface WebhookRequestConfig {
  headers?: HeaderRow[];
  query?: PathRow[];
  body?: PathRow[];
}

export interface WebhookResponseConfig {
  statusCode?: number;
  headers?: ResponseHeader[];
  body?: unknown;
}

export interface WebhookTriggerConfig {
  basicAuthentication?: false | BasicAuthCredentials;
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
}

/** An HTTP answer as it is sent and as the Response node records it. */
export interface HttpAnswer {
  statusCode: number;
  headers: ResponseHeader[];
  body: unknown;
}
