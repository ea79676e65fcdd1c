import { createHash, timingSafeEqual } from 'node:crypto';

import type { BasicAuthCredentials } from '../common/types';

/** Reads `Authorization: Basic <base64(user:pass)>` (RFC 7617); anything else is null. */
export function parseBasicAuthorization(header: string | undefined): BasicAuthCredentials | null {
  const match = /^Basic[ \t]+([A-Za-z0-9+/=._~-]+)[ \t]*$/i.exec(header ?? '');
  if (!match) {
    return null;
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0) {
    return null;
  }
  return { username: decoded.slice(0, separator), password: decoded.slice(separator + 1) };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Constant time in the secrets: both parts are always compared, on fixed-length digests, so neither the
 * length of the expected values nor which part differs shows in the timing.
 */
export function credentialsMatch(given: BasicAuthCredentials | null, expected: BasicAuthCredentials): boolean {
  const username = given?.username ?? '';
  const password = given?.password ?? '';
  const usernameMatches = timingSafeEqual(digest(username), digest(expected.username));
  const passwordMatches = timingSafeEqual(digest(password), digest(expected.password));
  return given !== null && usernameMatches && passwordMatches;
}
