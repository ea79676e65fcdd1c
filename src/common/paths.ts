import { FORBIDDEN_PATH_SEGMENTS } from './constants';

/** One step into a parsed value: an array index or an object key. */
export type PathSegment = number | string;

const DOT_SAFE_KEY = /^[^.[\]'"\\\s]+$/;

function formatKey(key: string, first: boolean, quote: '"' | "'"): string {
  if (quote === '"' && DOT_SAFE_KEY.test(key)) {
    return first ? key : `.${key}`;
  }
  // Inside quotes lodash's path parser only treats a backslash as an escape.
  const escaped = key.replace(/\\/g, '\\\\').replace(quote === '"' ? /"/g : /'/g, `\\${quote}`);
  return `[${quote}${escaped}${quote}]`;
}

/**
 * Writes segments as a path in lodash form: `a`, `b.c`, `query[0].a`, `h["x.y"]`. With `quote` "'", every
 * key is bracketed, a second spelling for the rare object that has a key equal to the natural spelling.
 */
export function formatPath(segments: readonly PathSegment[], quote: '"' | "'" = '"'): string {
  return segments
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : formatKey(segment, index === 0, quote),
    )
    .join('');
}

function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_PATH_SEGMENTS.includes(key);
}

/** Whether lodash.get(root, path) walks the segments instead of reading `path` as one key of the root. */
function walksSegments(root: unknown, path: string, segments: readonly PathSegment[]): boolean {
  if (root === null || typeof root !== 'object' || !(path in root)) {
    return true;
  }
  return segments.length === 1 && String(segments[0]) === path;
}

/**
 * lodash.get first looks a whole path string up as a key of the root. Choose a spelling that the root does not
 * hold as a key, so that the path always walks down the segments.
 */
function unambiguousPath(root: unknown, segments: readonly PathSegment[]): string {
  const natural = formatPath(segments);
  const candidates = [natural, formatPath(segments, "'"), formatPath(segments.map(String), "'")];
  return candidates.find((candidate) => walksSegments(root, candidate, segments)) ?? natural;
}

export interface CollectPathsOptions {
  /** Stop after this many paths (the example is then refused as too large). */
  limit: number;
}

export class TooManyPathsError extends Error {}

/**
 * Every path of a parsed example, parents before children: `{"a": 1, "b": {"c": 2}}` -> `a`, `b`, `b.c`;
 * `{"query": [{"a": 1}]}` -> `query`, `query[0]`, `query[0].a`. Keys that would reach a prototype are skipped
 * (the server refuses rows through them).
 */
export function collectPaths(root: unknown, options: CollectPathsOptions): string[] {
  const paths: string[] = [];
  const walk = (value: unknown, segments: PathSegment[]): void => {
    if (segments.length) {
      if (paths.length >= options.limit) {
        throw new TooManyPathsError(`more than ${options.limit} paths`);
      }
      paths.push(unambiguousPath(root, segments));
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, [...segments, index]));
    } else if (value !== null && typeof value === 'object') {
      for (const key of Object.keys(value)) {
        if (!isForbiddenKey(key)) {
          walk((value as Record<string, unknown>)[key], [...segments, key]);
        }
      }
    }
  };
  walk(root, []);
  return paths;
}

/** Splits a lodash path into its segment names, the way the server checks rows for forbidden segments. */
export function pathReachesPrototype(path: string): boolean {
  return path
    .split(/[.[\]'"]+/)
    .filter(Boolean)
    .some(isForbiddenKey);
}
