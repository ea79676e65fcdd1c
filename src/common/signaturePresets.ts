import type { SignatureConfig, SignaturePreset } from './types';

/** What a preset decides: everything but the secrets, which stay the user's. */
export type SignaturePresetFields = Omit<SignatureConfig, 'secrets' | 'preset'>;

/** Each provider's documented signing scheme. */
export const SIGNATURE_PRESETS: Record<Exclude<SignaturePreset, 'custom'>, SignaturePresetFields> = {
  github: {
    header: 'X-Hub-Signature-256',
    algorithm: 'sha256',
    encoding: 'hex',
    format: 'plain',
    prefix: 'sha256=',
    payload: '{body}',
  },
  stripe: {
    header: 'Stripe-Signature',
    algorithm: 'sha256',
    encoding: 'hex',
    format: 'stripe',
    payload: '{timestamp}.{body}',
    toleranceSeconds: 300,
  },
  slack: {
    header: 'X-Slack-Signature',
    algorithm: 'sha256',
    encoding: 'hex',
    format: 'plain',
    prefix: 'v0=',
    payload: 'v0:{timestamp}:{body}',
    timestampHeader: 'X-Slack-Request-Timestamp',
    toleranceSeconds: 300,
  },
  shopify: {
    header: 'X-Shopify-Hmac-Sha256',
    algorithm: 'sha256',
    encoding: 'base64',
    format: 'plain',
    payload: '{body}',
  },
  standardWebhooks: {
    header: 'webhook-signature',
    algorithm: 'sha256',
    encoding: 'base64',
    format: 'standardWebhooks',
    payload: '{id}.{timestamp}.{body}',
    idHeader: 'webhook-id',
    timestampHeader: 'webhook-timestamp',
    toleranceSeconds: 300,
  },
};

const CUSTOM_DEFAULTS: SignaturePresetFields = {
  header: '',
  algorithm: 'sha256',
  encoding: 'hex',
  format: 'plain',
  payload: '{body}',
};

/**
 * A provider preset replaces every signing field (so nothing of the previous preset lingers) and keeps the
 * secrets; `custom` keeps the current fields as a starting point to edit.
 */
export function applySignaturePreset(
  preset: SignaturePreset,
  current: Partial<SignatureConfig> = {},
): SignatureConfig {
  const secrets = [...(current.secrets ?? [])];
  if (preset === 'custom') {
    return { ...CUSTOM_DEFAULTS, ...current, preset, secrets };
  }
  return { preset, ...SIGNATURE_PRESETS[preset], secrets };
}
