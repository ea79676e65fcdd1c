import { HEADER_NAME_PATTERN } from './constants';
import { pathReachesPrototype } from './paths';
import type { BasicAuthCredentials, HeaderRow, PathRow, ResponseHeader } from './types';

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
  | 'Status code must be an integer from {{min}} to {{max}}';

export function checkHeaderName(name: string | undefined): CheckMessage | null {
  if (!name?.trim()) {
    return 'Header name is required';
  }
  return HEADER_NAME_PATTERN.test(name) ? null : 'Header names start with a letter and hold only letters, digits, "-" and "_"';
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
