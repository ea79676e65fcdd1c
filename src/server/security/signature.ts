import { createHmac, timingSafeEqual } from 'node:crypto';

import type { RequestHeaders, SignatureAlgorithm, SignatureConfig } from '../../common/types';
import { parseSignatureHeader, readHeader } from './signatureHeader';

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export interface SignedRequest {
  /** The bytes exactly as received: a re-serialized body would not match. */
  rawBody: Buffer;
  /** Node's lower-cased header names. */
  headers: RequestHeaders;
  nowSeconds: number;
}

type Found<T> = { ok: true; value: T } | { ok: false; reason: string };
type Placeholder = '{body}' | '{timestamp}' | '{id}';

const DEFAULT_TOLERANCE_SECONDS = 300;
const DIGEST_BYTES: Record<SignatureAlgorithm, number> = { sha1: 20, sha256: 32, sha512: 64 };
const PLACEHOLDER = /(\{body\}|\{timestamp\}|\{id\})/;
const UNIX_SECONDS = /^\d{1,12}$/;

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

/**
 * A `whsec_` secret is a base64 key (Standard Webhooks). Stripe's secrets start with `whsec_` too, but Stripe signs
 * with the whole string as the key, so the `stripe` format never decodes them.
 */
function signingKey(secret: string, config: SignatureConfig): Buffer {
  if (config.format !== 'stripe' && secret.startsWith('whsec_')) {
    return Buffer.from(secret.slice('whsec_'.length), 'base64');
  }
  return Buffer.from(secret, 'utf8');
}

function checkTimestamp(value: string | undefined, label: string, request: SignedRequest, config: SignatureConfig) {
  const tolerance = config.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (value === undefined || !UNIX_SECONDS.test(value)) {
    return fail(`${label} is not a Unix timestamp`);
  }
  if (Math.abs(request.nowSeconds - Number(value)) > tolerance) {
    return fail(`the timestamp is more than ${tolerance} s from the server time`);
  }
  return { ok: true as const, value };
}

/** From the signature header's `t=` (Stripe) or from the timestamp header; none when neither applies. */
function readTimestamp(request: SignedRequest, config: SignatureConfig, inHeader?: string): Found<string | undefined> {
  if (config.format === 'stripe') {
    return checkTimestamp(inHeader, `the "t=" value of the "${config.header}" header`, request, config);
  }
  if (!config.timestampHeader) {
    return { ok: true, value: undefined };
  }
  const value = readHeader(request.headers, config.timestampHeader);
  if (value === undefined) {
    return fail(`the "${config.timestampHeader}" header is missing`);
  }
  return checkTimestamp(value, `the "${config.timestampHeader}" header`, request, config);
}

function readId(request: SignedRequest, config: SignatureConfig): Found<string | undefined> {
  if (!config.idHeader) {
    return { ok: true, value: undefined };
  }
  const value = readHeader(request.headers, config.idHeader);
  return value ? { ok: true, value } : fail(`the "${config.idHeader}" header is missing`);
}

/** Concatenates bytes: the body is never decoded, so what is signed is exactly what arrived. */
function buildPayload(template: string, values: Record<Placeholder, Buffer | undefined>): Found<Buffer> {
  const pieces: Buffer[] = [];
  for (const part of template.split(PLACEHOLDER)) {
    const piece = part in values ? values[part as Placeholder] : Buffer.from(part, 'utf8');
    if (piece === undefined) {
      return fail(`the signed payload uses ${part}, but no ${part === '{id}' ? 'id' : 'timestamp'} header is set up`);
    }
    pieces.push(piece);
  }
  return { ok: true, value: Buffer.concat(pieces) };
}

function signedPayload(request: SignedRequest, config: SignatureConfig, inHeader?: string): Found<Buffer> {
  const timestamp = readTimestamp(request, config, inHeader);
  if (!timestamp.ok) {
    return timestamp;
  }
  const id = readId(request, config);
  if (!id.ok) {
    return id;
  }
  const bytes = (value: string | undefined) => (value === undefined ? undefined : Buffer.from(value, 'utf8'));
  return buildPayload(config.payload || '{body}', {
    '{body}': request.rawBody,
    '{timestamp}': bytes(timestamp.value),
    '{id}': bytes(id.value),
  });
}

/** Every secret is tried against every signature, with no early exit, so timing shows neither which nor whether. */
function anySignatureMatches(keys: Buffer[], payload: Buffer, signatures: Buffer[], algorithm: SignatureAlgorithm) {
  let matched = false;
  for (const key of keys) {
    const expected = createHmac(algorithm, key).update(payload).digest();
    for (const given of signatures) {
      matched = timingSafeEqual(expected, given) || matched;
    }
  }
  return matched;
}

/** Checks an HMAC signature over the exact request bytes; a failure's reason never holds a secret or a digest. */
export function verifySignature(request: SignedRequest, config: SignatureConfig): SignatureCheck {
  const keys = config.secrets.filter((secret) => secret !== '').map((secret) => signingKey(secret, config));
  if (keys.length === 0) {
    return fail('no signing secret is configured');
  }
  const header = readHeader(request.headers, config.header);
  if (!header?.trim()) {
    return fail(`the "${config.header}" header is missing`);
  }
  const parsed = parseSignatureHeader(header, config);
  if (!parsed.ok) {
    return parsed;
  }
  const payload = signedPayload(request, config, parsed.timestamp);
  if (!payload.ok) {
    return payload;
  }
  // The digest length is public: comparing only same-length signatures leaks nothing.
  const signatures = parsed.signatures.filter((given) => given.length === DIGEST_BYTES[config.algorithm]);
  if (signatures.length === 0) {
    return fail(`the "${config.header}" header holds no ${config.encoding}-encoded ${config.algorithm} signature`);
  }
  return anySignatureMatches(keys, payload.value, signatures, config.algorithm)
    ? { ok: true }
    : fail('the signature does not match the body');
}
