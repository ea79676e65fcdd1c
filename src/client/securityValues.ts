import { isHmacAlgorithm } from '../common/configChecks';
import { applySignaturePreset } from '../common/signaturePresets';
import type {
  HeaderTokenConfig,
  IdempotencyConfig,
  IdempotencySource,
  IpAllowListConfig,
  JwtConfig,
  RateLimitConfig,
  SignatureConfig,
} from '../common/types';

/**
 * What each optional check holds while it is being edited (its draft) and what of it is saved. A draft keeps fields
 * the saved value leaves out, so that e.g. a JWT secret comes back when an HS algorithm is chosen again.
 */

export const DEFAULT_HEADER_TOKEN_HEADER = 'Authorization';
export const DEFAULT_JWT_HEADER = 'Authorization';
export const DEFAULT_IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const DEFAULT_IDEMPOTENCY_WINDOW_SECONDS = 86_400;
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Leaves out the optional text fields the admin left blank: the server then applies its defaults. */
function withoutBlank<Config extends object>(config: Config, keys: readonly (keyof Config)[]): Config {
  const result = { ...config };
  for (const key of keys) {
    const value = result[key];
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      delete result[key];
    }
  }
  return result;
}

export function createSignatureDraft(): SignatureConfig {
  return { ...applySignaturePreset('custom'), secrets: [''] };
}

/** The prefix belongs to the `plain` format only; a timestamp tolerance left empty means the server's 300 s. */
export function savedSignature(draft: SignatureConfig): SignatureConfig {
  const saved = withoutBlank(draft, ['prefix', 'payload', 'timestampHeader', 'idHeader', 'toleranceSeconds']);
  if ((saved.format ?? 'plain') !== 'plain') {
    delete saved.prefix;
  }
  return saved;
}

/** Whether the scheme reads a timestamp, so that a tolerance applies. */
export function signatureUsesTimestamp(config: Partial<SignatureConfig>): boolean {
  return (
    (config.format ?? 'plain') !== 'plain' ||
    Boolean(config.payload?.includes('{timestamp}')) ||
    Boolean(config.timestampHeader?.trim())
  );
}

export function createHeaderTokenDraft(): HeaderTokenConfig {
  return { header: DEFAULT_HEADER_TOKEN_HEADER, token: '' };
}

/** `Authorization` carries `Bearer <token>`; any other header carries the token as it is. */
export function isAuthorizationHeader(header: string | undefined): boolean {
  return !header?.trim() || header.trim().toLowerCase() === 'authorization';
}

export function createJwtDraft(): JwtConfig {
  return { header: DEFAULT_JWT_HEADER, algorithms: ['HS256'], secret: '', publicKey: '', issuer: '', audience: '' };
}

/** Only the key material the chosen algorithms use is saved. */
export function savedJwt(draft: JwtConfig): JwtConfig {
  const saved = withoutBlank(draft, ['header', 'issuer', 'audience']);
  if (!saved.algorithms.some(isHmacAlgorithm)) {
    delete saved.secret;
  }
  if (saved.algorithms.every(isHmacAlgorithm)) {
    delete saved.publicKey;
  }
  return saved;
}

export function createIpAllowListDraft(): IpAllowListConfig {
  return { ranges: [] };
}

/** The entries of the allow-list text: one per line; commas and spaces separate entries too (pasted lists). */
export function parseRanges(text: string): string[] {
  return text.split(/[\s,;]+/).filter(Boolean);
}

export function formatRanges(ranges: readonly string[] | undefined): string {
  return (ranges ?? []).join('\n');
}

export function createIdempotencyDraft(): IdempotencyConfig {
  return { source: 'header', key: DEFAULT_IDEMPOTENCY_HEADER, windowSeconds: DEFAULT_IDEMPOTENCY_WINDOW_SECONDS };
}

/** Switching the source drops the other source's default key rather than carrying it over as a body path. */
export function changeIdempotencySource(config: IdempotencyConfig, source: IdempotencySource): IdempotencyConfig {
  if (source === config.source) {
    return config;
  }
  if (source === 'body') {
    return { ...config, source, key: config.key === DEFAULT_IDEMPOTENCY_HEADER ? '' : config.key };
  }
  return { ...config, source, key: config.key.trim() ? config.key : DEFAULT_IDEMPOTENCY_HEADER };
}

export function createRateLimitDraft(): RateLimitConfig {
  return { limit: 60, windowSeconds: 60 };
}
