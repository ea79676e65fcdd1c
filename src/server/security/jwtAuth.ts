import { JsonWebTokenError, NotBeforeError, TokenExpiredError, decode, verify } from 'jsonwebtoken';

import { JWT_ALGORITHMS } from '../../common/constants';
import type { JwtAlgorithm, JwtConfig, RequestHeaders } from '../../common/types';
import { readHeaderCredential } from './headerToken';

export type JwtCheck = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: string };

const SUPPORTED_ALGORITHMS: readonly JwtAlgorithm[] = JWT_ALGORITHMS;

/** The `alg` the token claims, read before any check; only trusted once it is in the configured list. */
function claimedAlgorithm(token: string): string | null {
  const decoded = decode(token, { complete: true });
  const algorithm: unknown = decoded?.header.alg;
  return typeof algorithm === 'string' ? algorithm : null;
}

/** `config.algorithms` may come from stored JSON: only the algorithms this module knows count, never `none`. */
function isAllowed(algorithm: string, config: JwtConfig): algorithm is JwtAlgorithm {
  const known = SUPPORTED_ALGORITHMS.find((supported) => supported === algorithm);
  return known !== undefined && config.algorithms.includes(known);
}

function isHmac(algorithm: JwtAlgorithm): boolean {
  return algorithm.startsWith('HS');
}

function reasonFor(error: unknown, algorithm: JwtAlgorithm): string {
  // TokenExpiredError and NotBeforeError extend JsonWebTokenError: test them first.
  if (error instanceof TokenExpiredError) return 'the token has expired';
  if (error instanceof NotBeforeError) return 'the token is not valid yet';
  const message = error instanceof Error ? error.message : '';
  if (message === 'invalid signature') return 'the token signature is invalid';
  if (message === 'jwt signature is required') return 'the token is not signed';
  if (message.startsWith('jwt audience invalid')) return "the token's audience is not accepted";
  if (message.startsWith('jwt issuer invalid')) return "the token's issuer is not accepted";
  if (message === 'invalid exp value' || message === 'invalid nbf value') {
    return 'the token\'s "exp" or "nbf" claim is not a number';
  }
  if (!(error instanceof JsonWebTokenError) || message.startsWith('secretOrPublicKey')) {
    // The key material does not fit the algorithm (an RSA key for ES256, a wrong curve, a PEM as HMAC secret).
    return `the configured key cannot verify ${algorithm} tokens`;
  }
  return 'the token is invalid';
}

/**
 * Verifies a JWT from a header; `authorization` expects `Bearer <jwt>`. The key is chosen by the token's algorithm
 * only after that algorithm is found in the configured list, and verification accepts that one algorithm alone:
 * `none` is never accepted, and an HS token is never checked against the RS/ES public key.
 */
export function verifyJwt(headers: RequestHeaders, config: JwtConfig, nowSeconds?: number): JwtCheck {
  const read = readHeaderCredential(headers, config.header || 'authorization');
  if (!read.ok) {
    return read;
  }
  const algorithm = claimedAlgorithm(read.credential);
  if (algorithm === null) {
    return { ok: false, reason: 'the token is not a well-formed JWT' };
  }
  if (!isAllowed(algorithm, config)) {
    return { ok: false, reason: "the token's algorithm is not allowed" };
  }
  const key = isHmac(algorithm) ? config.secret : config.publicKey;
  if (!key) {
    return { ok: false, reason: `no ${isHmac(algorithm) ? 'secret' : 'public key'} is configured for ${algorithm}` };
  }
  try {
    const claims = verify(read.credential, key, {
      algorithms: [algorithm],
      issuer: config.issuer || undefined,
      audience: config.audience || undefined,
      clockTimestamp: nowSeconds,
      clockTolerance: 0,
    });
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
      return { ok: false, reason: "the token's payload is not a JSON object" };
    }
    return { ok: true, claims };
  } catch (error) {
    return { ok: false, reason: reasonFor(error, algorithm) };
  }
}
