/** The outcome of one request check; `reason` is safe to show the caller (it never holds a secret). */
export type SecurityCheck = { ok: true } | { ok: false; reason: string };
