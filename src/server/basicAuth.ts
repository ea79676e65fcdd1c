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

/** One digest of both parts, unambiguous whatever they contain. */
function credentialsDigest(username: string, password: string): Buffer {
  return createHash('sha256').update(JSON.stringify([username, password]), 'utf8').digest();
}

const EXPECTED_DIGESTS_MAX = 256;
/** The expected credentials' digests (they change only when a workflow is saved): one digest per request, not two. */
const expectedDigests = new Map<string, Buffer>();

function expectedDigest({ username, password }: BasicAuthCredentials): Buffer {
  const key = JSON.stringify([username, password]);
  let digest = expectedDigests.get(key);
  if (!digest) {
    if (expectedDigests.size >= EXPECTED_DIGESTS_MAX) {
      expectedDigests.clear();
    }
    digest = credentialsDigest(username, password);
    expectedDigests.set(key, digest);
  }
  return digest;
}

/**
 * Constant time in the secrets: both parts are compared at once, as one fixed-length digest, so neither the length
 * of the expected values nor which part differs shows in the timing.
 */
export function credentialsMatch(given: BasicAuthCredentials | null, expected: BasicAuthCredentials): boolean {
  const matches = timingSafeEqual(credentialsDigest(given?.username ?? '', given?.password ?? ''), expectedDigest(expected));
  return given !== null && matches;
}
