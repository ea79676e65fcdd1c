import { createHash, timingSafeEqual } from 'node:crypto';

import type { HeaderTokenConfig, RequestHeaders } from '../../common/types';
import type { SecurityCheck } from './SecurityCheck';

export type HeaderCredential = { ok: true; credential: string } | { ok: false; reason: string };

const BEARER = /^Bearer[ \t]+(.*\S)[ \t]*$/i;

/**
 * The credential a header carries: `authorization` holds `Bearer <credential>`, any other header is the credential
 * whole. `headers` has lower-cased names, as Node gives them.
 */
export function readHeaderCredential(headers: RequestHeaders, header: string): HeaderCredential {
  const name = header.trim().toLowerCase();
  const value = headers[name];
  if (Array.isArray(value) && value.length > 1) {
    return { ok: false, reason: `the "${name}" header is sent more than once` };
  }
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) {
    return { ok: false, reason: `the "${name}" header is missing` };
  }
  if (name !== 'authorization') {
    return { ok: true, credential: text };
  }
  const match = BEARER.exec(text);
  if (!match) {
    return { ok: false, reason: 'the "authorization" header must be "Bearer <token>"' };
  }
  return { ok: true, credential: match[1] };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Compared on fixed-length digests, so neither the expected token's length nor its content shows in the timing. */
export function checkHeaderToken(headers: RequestHeaders, config: HeaderTokenConfig): SecurityCheck {
  const read = readHeaderCredential(headers, config.header);
  if (!read.ok) {
    return read;
  }
  if (!timingSafeEqual(digest(read.credential), digest(config.token))) {
    return { ok: false, reason: `the token in the "${config.header.trim().toLowerCase()}" header is wrong` };
  }
  return { ok: true };
}
