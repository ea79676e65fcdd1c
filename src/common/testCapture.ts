import { ExampleError, mergeRows, nextVarIndex, parseExample } from './parseExample';
import type { RowKind } from './parseExample';
import type { PathRow } from './types';

/** Actions of the `webhook` resource behind the panel's "Listen for test request" (workflow managers only). */
export const LISTEN_ACTION_NAME = 'listen';
export const STOP_LISTENING_ACTION_NAME = 'stopListening';
export const CAPTURE_ACTION_NAME = 'capture';

export const DEFAULT_LISTEN_DURATION_MS = 2 * 60 * 1000;

/** What the captured request itself is answered (status 200). */
export const CAPTURED_MESSAGE = 'Captured for testing in NocoBase: the workflow did not run';

/** One request caught while the trigger panel listened; secret header values are masked. */
export interface TestCapture {
  method: string;
  contentType: string | null;
  headers: Record<string, string | string[]>;
  /** The query string as received (without `?`): the fill parses it as the Parse button does. */
  querystring: string;
  /** Parsed as the trigger parses it; null when it exceeds the query limits. */
  query: Record<string, unknown> | null;
  body: unknown;
  capturedAt: string;
}

/** The answer of the listen, stopListening and capture actions. */
export interface ListenState {
  /** Time left to listen, as the server that answered sees it; 0 when not listening. */
  remainingMs: number;
  /** The last request captured for this workflow's URL, until it expires. */
  capture: TestCapture | null;
}

/** The text the Parse button of each row list would be given for this capture. */
export function captureExample(capture: TestCapture, kind: RowKind): string {
  return kind === 'query' ? `?${capture.querystring}` : JSON.stringify(capture.body ?? null);
}

/** A capture without query parameters, or whose body has no keys, leaves those rows as they are. */
const NOTHING_TO_FILL: readonly string[] = ['empty', 'noQuery', 'notContainer', 'noPaths'];

export type CaptureFill = Record<RowKind, PathRow[] | null | ExampleError>;

/**
 * The query and body rows a Parse of the capture would give: null for a kind with nothing to fill, the parse error
 * for one that cannot be filled (e.g. too many paths). `floors` are the first `_var` indexes no node references.
 */
export function fillRowsFromCapture(
  capture: TestCapture,
  current: Partial<Record<RowKind, readonly PathRow[] | null>>,
  floors: Record<RowKind, number>,
): CaptureFill {
  const fill = (kind: RowKind): PathRow[] | null | ExampleError => {
    const rows = current[kind] ?? [];
    try {
      const paths = parseExample(kind, captureExample(capture, kind));
      return mergeRows(rows, paths, kind, nextVarIndex(rows, kind, floors[kind]));
    } catch (error) {
      if (error instanceof ExampleError) {
        return NOTHING_TO_FILL.includes(error.code) ? null : error;
      }
      throw error;
    }
  };
  return { query: fill('query'), body: fill('body') };
}

/** `m:ss` for the countdown; a started second counts as a whole one. */
export function formatCountdown(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
