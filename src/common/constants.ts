export const NAMESPACE = 'workflow-webhook';

export const TRIGGER_TYPE = 'webhook';
export const RESPONSE_INSTRUCTION_TYPE = 'response';

export const RESOURCE_NAME = 'webhook';
export const TRIGGER_ACTION_NAME = 'trigger';

/** Response header names the trigger and the Response node accept (RFC 7230 tokens, restricted to a safe subset). */
export const HEADER_NAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9_-]*$/;

/** Path segments that would reach an object's prototype; refused in configured rows. */
export const FORBIDDEN_PATH_SEGMENTS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** Request headers whose values are secrets of the sender and are masked before an execution is stored. */
export const MASKED_REQUEST_HEADERS: readonly string[] = ['authorization', 'proxy-authorization', 'cookie'];
export const MASK = '******';

/** JWT algorithms the trigger verifies: HS* with a shared secret, RS* and ES* with a public key. */
export const JWT_HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
export const JWT_KEY_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'] as const;
export const JWT_ALGORITHMS = [...JWT_HMAC_ALGORITHMS, ...JWT_KEY_ALGORITHMS] as const;

export const BASIC_AUTH_REALM = 'NocoBase webhook';

export const DEFAULT_ASYNC_STATUS_CODE = 200;
export const DEFAULT_ASYNC_BODY = 'ok';
export const DEFAULT_RESPONSE_NODE_STATUS_CODE = 200;

/** qs limits: generous for real senders, bounded for hostile ones. */
export const QUERY_PARAMETER_LIMIT = 1000;
export const QUERY_DEPTH_LIMIT = 20;
export const QUERY_ARRAY_LIMIT = 100;
