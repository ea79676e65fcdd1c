import { SIGNATURE_PRESETS, applySignaturePreset } from '../signaturePresets';
import type { SignatureConfig } from '../types';

describe('common/signaturePresets', () => {
  describe('applySignaturePreset', () => {
    const custom: SignatureConfig = {
      preset: 'custom',
      algorithm: 'sha1',
      header: 'X-Sig',
      encoding: 'base64',
      timestampHeader: 'X-Time',
      secrets: ['first', '{{$env.SECOND}}'],
    };

    it('sets every field of the preset and keeps the secrets', () => {
      expect(applySignaturePreset('github', custom)).toEqual({
        preset: 'github',
        header: 'X-Hub-Signature-256',
        algorithm: 'sha256',
        encoding: 'hex',
        format: 'plain',
        prefix: 'sha256=',
        payload: '{body}',
        secrets: ['first', '{{$env.SECOND}}'],
      });
    });

    it('leaves nothing of the previous preset behind', () => {
      const slack = applySignaturePreset('slack', custom);
      expect(slack.timestampHeader).toBe('X-Slack-Request-Timestamp');
      const shopify = applySignaturePreset('shopify', slack);
      expect(shopify).toEqual({ preset: 'shopify', ...SIGNATURE_PRESETS.shopify, secrets: custom.secrets });
      expect(shopify).not.toHaveProperty('timestampHeader');
      expect(shopify).not.toHaveProperty('toleranceSeconds');
    });

    it('fills each preset from its table entry', () => {
      for (const preset of ['github', 'stripe', 'slack', 'shopify', 'standardWebhooks'] as const) {
        expect(applySignaturePreset(preset, { secrets: ['s'] })).toEqual({
          preset,
          ...SIGNATURE_PRESETS[preset],
          secrets: ['s'],
        });
      }
    });

    it('does not share the secrets array or the preset table', () => {
      const result = applySignaturePreset('stripe', custom);
      result.secrets.push('third');
      result.header = 'changed';
      expect(custom.secrets).toHaveLength(2);
      expect(SIGNATURE_PRESETS.stripe.header).toBe('Stripe-Signature');
    });

    it('keeps the current fields when switching to custom', () => {
      const github = applySignaturePreset('github', custom);
      expect(applySignaturePreset('custom', github)).toEqual({ ...github, preset: 'custom' });
    });

    it('starts from defaults without a current configuration', () => {
      expect(applySignaturePreset('custom')).toEqual({
        preset: 'custom',
        header: '',
        algorithm: 'sha256',
        encoding: 'hex',
        format: 'plain',
        payload: '{body}',
        secrets: [],
      });
      expect(applySignaturePreset('standardWebhooks').secrets).toEqual([]);
    });
  });
});
