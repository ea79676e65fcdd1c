import ipaddr from 'ipaddr.js';

import { HEADER_NAME_PATTERN } from './constants';
import { pathReachesPrototype } from './paths';
import type {
  BasicAuthCredentials,
  HeaderRow,
  HeaderTokenConfig,
  IdempotencyConfig,
  IpAllowListConfig,
  JwtAlgorithm,
  JwtConfig,
  PathRow,
  RateLimitConfig,
  ResponseHeader,
  SignatureConfig,
} from './types';

/**
 * Checks the panels run before saving, mirroring the server's validation (which stays the authority) so that the
 * admin sees the problem next to the field. Each returns a message key of the locale files, or null.
 */
export type CheckMessage =
  | 'Key path is required'
  | 'Header name is required'
  | 'Header names start with a letter and hold only letters, digits, "-" and "_"'
  | 'Paths must not go through "__proto__", "constructor" or "prototype"'
  | 'User name and password are required'
  | 'The user name must not contain ":"'
  | 'Status code must be an integer from {{min}} to {{max}}'
  | 'Enter at least one secret'
  | 'Secrets must not be empty'
  | 'The signed payload must contain {body}'
  | 'The signed payload uses {timestamp}: set the timestamp header'
  | 'The signed payload uses {id}: set the id header'
  | 'The tolerance must be a whole number of seconds from 0 to {{max}}'
  | 'Enter the token'
  | 'Choose at least one algorithm'
  | 'HS256, HS384 and HS512 need a secret'
  | 'RS and ES algorithms need a public key'
  | 'The public key must be in PEM form (-----BEGIN PUBLIC KEY-----)'
  | 'Enter at least one address or range'
  | '"{{range}}" is not an IPv4 or IPv6 address or CIDR range'
  | '"{{range}}": the prefix length of an {{family}} range is 0 to {{max}}'
  | 'The window must be a whole number of seconds from 1 to {{max}}'
  | 'The limit must be a whole number from 1 to {{max}}';

/** A message with the values of its `{{placeholders}}`. */
export interface CheckProblem {
  message: CheckMessage;
  values: Record<string, string | number>;
}

/** Upper bounds of the server's validation (src/server/configSchema.ts). */
export const SECURITY_LIMITS = {
  toleranceSeconds: 31_536_000,
  idempotencyWindowSeconds: 31_536_000,
  rateLimit: 1_000_000,
  rateLimitWindowSeconds: 86_400,
};

/** An optional check's value as the panel holds it: off (`false`, absent) or a possibly half-filled object. */
export type OptionalCheckValue<Config> = false | null | undefined | Partial<Config>;

export function checkHeaderName(name: string | undefined): CheckMessage | null {
  if (!name?.trim()) {
    return 'Header name is required';
  }
  return HEADER_NAME_PATTERN.test(name)
    ? null
    : 'Header names start with a letter and hold only letters, digits, "-" and "_"';
}

export function checkHeaderRows(rows: readonly HeaderRow[] | undefined): CheckMessage | null {
  for (const row of rows ?? []) {
    const message = checkHeaderName(row.key);
    if (message) {
      return message;
    }
  }
  return null;
}

export function checkPathKey(key: string | undefined): CheckMessage | null {
  if (!key?.trim()) {
    return 'Key path is required';
  }
  return pathReachesPrototype(key) ? 'Paths must not go through "__proto__", "constructor" or "prototype"' : null;
}

export function checkPathRows(rows: readonly PathRow[] | undefined): CheckMessage | null {
  for (const row of rows ?? []) {
    const message = checkPathKey(row.key);
    if (message) {
      return message;
    }
  }
  return null;
}

export function checkBasicAuth(value: false | null | undefined | Partial<BasicAuthCredentials>): CheckMessage | null {
  if (!value) {
    return null;
  }
  if (!value.username || !value.password) {
    return 'User name and password are required';
  }
  return value.username.includes(':') ? 'The user name must not contain ":"' : null;
}

export function checkStatusCode(value: unknown, min: number, max: number): CheckMessage | null {
  const code = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof code === 'number' && Number.isInteger(code) && code >= min && code <= max
    ? null
    : 'Status code must be an integer from {{min}} to {{max}}';
}

export function checkResponseHeaders(headers: readonly ResponseHeader[] | undefined): CheckMessage | null {
  for (const header of headers ?? []) {
    const message = checkHeaderName(header.name);
    if (message) {
      return message;
    }
  }
  return null;
}

function isOn<Config>(value: OptionalCheckValue<Config>): value is Partial<Config> {
  return Boolean(value) && typeof value === 'object';
}

function isBlank(text: string | undefined): boolean {
  return !text?.trim();
}

/** A header the request must carry: `checkHeaderName`, but blank is allowed where the header is optional. */
function checkOptionalHeaderName(name: string | undefined): CheckMessage | null {
  return isBlank(name) ? null : checkHeaderName(name);
}

function checkWholeNumber(value: unknown, min: number, max: number, message: CheckMessage): CheckProblem | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
    ? null
    : { message, values: { max } };
}

export function checkSecrets(secrets: readonly string[] | undefined): CheckMessage | null {
  if (!secrets?.length) {
    return 'Enter at least one secret';
  }
  return secrets.some(isBlank) ? 'Secrets must not be empty' : null;
}

/** Placeholders of the signed payload need the header they are read from (`stripe` reads `t=` instead). */
function checkSignedPayload(config: Partial<SignatureConfig>): CheckMessage | null {
  const payload = config.payload;
  if (payload === undefined) {
    return null;
  }
  if (!payload.includes('{body}')) {
    return 'The signed payload must contain {body}';
  }
  if (payload.includes('{timestamp}') && config.format !== 'stripe' && isBlank(config.timestampHeader)) {
    return 'The signed payload uses {timestamp}: set the timestamp header';
  }
  return payload.includes('{id}') && isBlank(config.idHeader)
    ? 'The signed payload uses {id}: set the id header'
    : null;
}

export function checkSignature(value: OptionalCheckValue<SignatureConfig>): CheckMessage | CheckProblem | null {
  if (!isOn(value)) {
    return null;
  }
  return (
    checkHeaderName(value.header) ??
    checkOptionalHeaderName(value.timestampHeader) ??
    checkOptionalHeaderName(value.idHeader) ??
    checkSignedPayload(value) ??
    (value.toleranceSeconds === undefined
      ? null
      : checkWholeNumber(
          value.toleranceSeconds,
          0,
          SECURITY_LIMITS.toleranceSeconds,
          'The tolerance must be a whole number of seconds from 0 to {{max}}',
        )) ??
    checkSecrets(value.secrets)
  );
}

export function checkHeaderToken(value: OptionalCheckValue<HeaderTokenConfig>): CheckMessage | null {
  if (!isOn(value)) {
    return null;
  }
  return checkHeaderName(value.header) ?? (isBlank(value.token) ? 'Enter the token' : null);
}

export function isHmacAlgorithm(algorithm: JwtAlgorithm): boolean {
  return algorithm.startsWith('HS');
}

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----[\s\S]+-----END [A-Z0-9 ]+-----/;

export function checkJwt(value: OptionalCheckValue<JwtConfig>): CheckMessage | null {
  if (!isOn(value)) {
    return null;
  }
  const algorithms = value.algorithms ?? [];
  const headerProblem = checkOptionalHeaderName(value.header);
  if (headerProblem) {
    return headerProblem;
  }
  if (!algorithms.length) {
    return 'Choose at least one algorithm';
  }
  if (algorithms.some(isHmacAlgorithm) && isBlank(value.secret)) {
    return 'HS256, HS384 and HS512 need a secret';
  }
  if (!algorithms.every(isHmacAlgorithm)) {
    if (isBlank(value.publicKey)) {
      return 'RS and ES algorithms need a public key';
    }
    if (!PEM_BLOCK.test(value.publicKey ?? '')) {
      return 'The public key must be in PEM form (-----BEGIN PUBLIC KEY-----)';
    }
  }
  return null;
}

/** Prefix bits of the address family, or null when `text` is not an address the server accepts. */
function addressBits(text: string): number | null {
  // Strict, as on the server: IPv4 in four-part decimal only (no `010.0.0.1`, `10.1`), IPv6 without a zone.
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) {
    return 32;
  }
  return ipaddr.IPv6.isValid(text) && !ipaddr.IPv6.parse(text).zoneId ? 128 : null;
}

/** One entry of an IP allow-list: an IPv4 / IPv6 address, or one with a `/prefix`. */
export function checkIpRange(range: string): CheckProblem | null {
  const text = range.trim();
  const [address, prefix, ...rest] = text.split('/');
  const bits = addressBits(address);
  if (bits === null || rest.length) {
    return { message: '"{{range}}" is not an IPv4 or IPv6 address or CIDR range', values: { range: text } };
  }
  if (prefix !== undefined && (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits)) {
    return {
      message: '"{{range}}": the prefix length of an {{family}} range is 0 to {{max}}',
      values: { range: text, family: bits === 32 ? 'IPv4' : 'IPv6', max: bits },
    };
  }
  return null;
}

export function checkIpAllowList(value: OptionalCheckValue<IpAllowListConfig>): CheckMessage | CheckProblem | null {
  if (!isOn(value)) {
    return null;
  }
  const ranges = value.ranges ?? [];
  if (!ranges.length) {
    return 'Enter at least one address or range';
  }
  for (const range of ranges) {
    const problem = checkIpRange(range);
    if (problem) {
      return problem;
    }
  }
  return null;
}

export function checkIdempotency(value: OptionalCheckValue<IdempotencyConfig>): CheckMessage | CheckProblem | null {
  if (!isOn(value)) {
    return null;
  }
  const keyProblem = value.source === 'body' ? checkPathKey(value.key) : checkHeaderName(value.key);
  if (keyProblem || value.windowSeconds === undefined) {
    return keyProblem;
  }
  return checkWholeNumber(
    value.windowSeconds,
    1,
    SECURITY_LIMITS.idempotencyWindowSeconds,
    'The window must be a whole number of seconds from 1 to {{max}}',
  );
}

export function checkRateLimit(value: OptionalCheckValue<RateLimitConfig>): CheckProblem | null {
  if (!isOn(value)) {
    return null;
  }
  return (
    checkWholeNumber(value.limit, 1, SECURITY_LIMITS.rateLimit, 'The limit must be a whole number from 1 to {{max}}') ??
    checkWholeNumber(
      value.windowSeconds,
      1,
      SECURITY_LIMITS.rateLimitWindowSeconds,
      'The window must be a whole number of seconds from 1 to {{max}}',
    )
  );
}
