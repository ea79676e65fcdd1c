import { createHmac } from 'node:crypto';

import { SIGNATURE_PRESETS } from '../../common/signaturePresets';
import type { RequestHeaders, SignatureConfig, SignaturePreset } from '../../common/types';
import { verifySignature, type SignatureCheck } from '../security/signature';

// The signers below follow each provider's documentation, independently of the code under test.
const NOW = 1_700_000_000;

function hmac(algorithm: string, key: Buffer | string, ...parts: (Buffer | string)[]): Buffer {
  const mac = createHmac(algorithm, key);
  parts.forEach((part) => mac.update(part));
  return mac.digest();
}

interface Signed {
  headers: RequestHeaders;
  /** The encoded digest a correct sender puts in the header: must never show in a reason. */
  digest: string;
}

interface Provider {
  preset: Exclude<SignaturePreset, 'custom'>;
  secret: string;
  timestampHeader?: string;
  sign(body: Buffer, secret: string, timestamp: number): Signed;
}

// https://docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries
const github: Provider = {
  preset: 'github',
  secret: "It's a Secret to Everybody",
  sign(body, secret) {
    const digest = hmac('sha256', secret, body).toString('hex');
    return { digest, headers: { 'x-hub-signature-256': `sha256=${digest}` } };
  },
};

// https://docs.stripe.com/webhooks#verify-manually: the whole `whsec_...` string is the key.
const stripe: Provider = {
  preset: 'stripe',
  secret: 'whsec_test_4eC39HqLyjWDarjtT1zdp7dc',
  sign(body, secret, timestamp) {
    const digest = hmac('sha256', secret, `${timestamp}.`, body).toString('hex');
    return { digest, headers: { 'stripe-signature': `t=${timestamp},v1=${digest},v0=${'0'.repeat(64)}` } };
  },
};

// https://api.slack.com/authentication/verifying-requests-from-slack
const slack: Provider = {
  preset: 'slack',
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestampHeader: 'X-Slack-Request-Timestamp',
  sign(body, secret, timestamp) {
    const digest = hmac('sha256', secret, `v0:${timestamp}:`, body).toString('hex');
    return {
      digest,
      headers: { 'x-slack-signature': `v0=${digest}`, 'x-slack-request-timestamp': String(timestamp) },
    };
  },
};

// https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-2-validate-the-origin-of-your-webhook
const shopify: Provider = {
  preset: 'shopify',
  secret: 'shpss_0123456789abcdef0123456789abcdef',
  sign(body, secret) {
    const digest = hmac('sha256', secret, body).toString('base64');
    return { digest, headers: { 'x-shopify-hmac-sha256': digest } };
  },
};

// https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
function standardWebhooksKey(secret: string): Buffer {
  return secret.startsWith('whsec_') ? Buffer.from(secret.split('_')[1], 'base64') : Buffer.from(secret);
}

const standardWebhooks: Provider = {
  preset: 'standardWebhooks',
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  timestampHeader: 'webhook-timestamp',
  sign(body, secret, timestamp) {
    const id = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
    const digest = hmac('sha256', standardWebhooksKey(secret), `${id}.${timestamp}.`, body).toString('base64');
    return {
      digest,
      headers: { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${digest}` },
    };
  },
};

function configFor(preset: Exclude<SignaturePreset, 'custom'>, ...secrets: string[]): SignatureConfig {
  return { preset, ...SIGNATURE_PRESETS[preset], secrets };
}

function check(config: SignatureConfig, body: Buffer, headers: RequestHeaders, nowSeconds = NOW): SignatureCheck {
  return verifySignature({ rawBody: body, headers, nowSeconds }, config);
}

function expectRejected(result: SignatureCheck, reason: string, secrets: readonly string[], digests: string[]) {
  expect(result).toEqual({ ok: false, reason });
  const text = result.ok ? '' : result.reason;
  [...secrets, ...digests].forEach((hidden) => expect(text).not.toContain(hidden));
}

const BODY = Buffer.from('{"action":"opened","number":1}');

describe('server/security/signature', () => {
  describe.each([github, stripe, slack, shopify, standardWebhooks])('the $preset preset', (provider) => {
    const config = configFor(provider.preset, provider.secret);
    const header = SIGNATURE_PRESETS[provider.preset].header;
    const secrets = [provider.secret, provider.secret.replace(/^whsec_/, '')];

    it('accepts a delivery signed as the provider documents', () => {
      expect(check(config, BODY, provider.sign(BODY, provider.secret, NOW).headers)).toEqual({ ok: true });
    });

    it('rejects a tampered body', () => {
      const { headers, digest } = provider.sign(BODY, provider.secret, NOW);
      const tampered = Buffer.from('{"action":"closed","number":1}');
      const expected = provider.sign(tampered, provider.secret, NOW).digest;
      expectRejected(check(config, tampered, headers), 'the signature does not match the body', secrets, [
        digest,
        expected,
      ]);
    });

    it('rejects a delivery signed with another secret', () => {
      const { headers } = provider.sign(BODY, 'whsec_c29tZSBvdGhlciBzZWNyZXQ=', NOW);
      const expected = provider.sign(BODY, provider.secret, NOW).digest;
      expectRejected(check(config, BODY, headers), 'the signature does not match the body', secrets, [expected]);
    });

    it('rejects a delivery without the signature header', () => {
      const { headers, digest } = provider.sign(BODY, provider.secret, NOW);
      const without = Object.fromEntries(Object.entries(headers).filter(([name]) => name !== header.toLowerCase()));
      expectRejected(check(config, BODY, without), `the "${header}" header is missing`, secrets, [digest]);
    });

    it('finds the headers whatever their case', () => {
      const { headers } = provider.sign(BODY, provider.secret, NOW);
      const upper = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toUpperCase(), value]));
      expect(check(config, BODY, upper)).toEqual({ ok: true });
    });

    if (provider.preset === 'github' || provider.preset === 'shopify') {
      it('has no timestamp, so an old delivery still passes', () => {
        expect(check(config, BODY, provider.sign(BODY, provider.secret, 0).headers)).toEqual({ ok: true });
      });
      return;
    }

    it.each([
      ['stale', -301],
      ['future', 301],
    ])('rejects a %s timestamp', (_, offset) => {
      const { headers, digest } = provider.sign(BODY, provider.secret, NOW + offset);
      expectRejected(check(config, BODY, headers), 'the timestamp is more than 300 s from the server time', secrets, [
        digest,
      ]);
    });

    it('accepts a timestamp exactly at the tolerance', () => {
      expect(check(config, BODY, provider.sign(BODY, provider.secret, NOW - 300).headers)).toEqual({ ok: true });
      expect(check(config, BODY, provider.sign(BODY, provider.secret, NOW + 300).headers)).toEqual({ ok: true });
    });

    it('rejects a timestamp swapped after signing', () => {
      const { headers } = provider.sign(BODY, provider.secret, NOW);
      const swapped = JSON.parse(JSON.stringify(headers).split(String(NOW)).join(String(NOW + 1)));
      expect(check(config, BODY, swapped)).toEqual({ ok: false, reason: 'the signature does not match the body' });
    });

    if (provider.timestampHeader) {
      const timestampHeader = provider.timestampHeader;

      it('rejects a delivery without the timestamp header', () => {
        const { headers } = provider.sign(BODY, provider.secret, NOW);
        delete headers[timestampHeader.toLowerCase()];
        expect(check(config, BODY, headers)).toEqual({
          ok: false,
          reason: `the "${timestampHeader}" header is missing`,
        });
      });

      it('rejects a timestamp that is not in Unix seconds', () => {
        const { headers } = provider.sign(BODY, provider.secret, NOW);
        headers[timestampHeader.toLowerCase()] = new Date(NOW * 1000).toISOString();
        expect(check(config, BODY, headers)).toEqual({
          ok: false,
          reason: `the "${timestampHeader}" header is not a Unix timestamp`,
        });
      });
    }
  });

  describe('raw bytes', () => {
    const config = configFor('github', github.secret);
    const asSent = Buffer.from('{ "number" : 1,\n  "action":  "caf\\u00e9" }\n');

    it('checks the bytes as sent: whitespace, key order and \\u escapes', () => {
      expect(check(config, asSent, github.sign(asSent, github.secret, NOW).headers)).toEqual({ ok: true });
    });

    it('rejects the same JSON re-serialized', () => {
      const reserialized = Buffer.from(JSON.stringify(JSON.parse(asSent.toString('utf8'))));
      expect(reserialized.toString()).toBe('{"number":1,"action":"café"}');
      const { headers } = github.sign(asSent, github.secret, NOW);
      expect(check(config, reserialized, headers)).toEqual({
        ok: false,
        reason: 'the signature does not match the body',
      });
    });

    it('checks bytes that are not UTF-8 without decoding them', () => {
      const binary = Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x80]);
      expect(check(config, binary, github.sign(binary, github.secret, NOW).headers)).toEqual({ ok: true });
      const decoded = Buffer.from(binary.toString('utf8'));
      expect(check(config, decoded, github.sign(binary, github.secret, NOW).headers).ok).toBe(false);
    });
  });

  describe('header layout', () => {
    it('refuses a plain signature without its prefix', () => {
      const { digest } = github.sign(BODY, github.secret, NOW);
      expect(check(configFor('github', github.secret), BODY, { 'x-hub-signature-256': digest })).toEqual({
        ok: false,
        reason: 'the "X-Hub-Signature-256" header does not start with "sha256="',
      });
    });

    it('refuses a signature of the wrong length or with trailing garbage', () => {
      const { digest } = github.sign(BODY, github.secret, NOW);
      const reason = 'the "X-Hub-Signature-256" header holds no hex-encoded sha256 signature';
      const config = configFor('github', github.secret);
      expect(check(config, BODY, { 'x-hub-signature-256': `sha256=${digest.slice(0, 40)}` })).toEqual({
        ok: false,
        reason,
      });
      expect(check(config, BODY, { 'x-hub-signature-256': `sha256=${digest}zz` })).toEqual({ ok: false, reason });
    });

    it('refuses a repeated signature header', () => {
      const value = github.sign(BODY, github.secret, NOW).headers['x-hub-signature-256'] as string;
      expect(check(configFor('github', github.secret), BODY, { 'x-hub-signature-256': [value, value] }).ok).toBe(
        false,
      );
    });

    it('says what a configuration without a secret lacks', () => {
      const { headers } = github.sign(BODY, github.secret, NOW);
      expect(check(configFor('github'), BODY, headers)).toEqual({
        ok: false,
        reason: 'no signing secret is configured',
      });
    });
  });

  describe('Stripe', () => {
    const config = configFor('stripe', stripe.secret);
    const digest = (secret: string) => hmac('sha256', secret, `${NOW}.`, BODY).toString('hex');

    it('accepts several v1 signatures when only the second matches', () => {
      const header = `t=${NOW},v1=${digest('whsec_old')},v1=${digest(stripe.secret)},v0=${digest('x')}`;
      expect(check(config, BODY, { 'stripe-signature': header })).toEqual({ ok: true });
    });

    it('ignores v0 signatures', () => {
      const header = `t=${NOW},v0=${digest(stripe.secret)},v1=${digest('other')}`;
      expect(check(config, BODY, { 'stripe-signature': header }).ok).toBe(false);
    });

    it('says which part of the header is missing', () => {
      expect(check(config, BODY, { 'stripe-signature': `v1=${digest(stripe.secret)}` })).toEqual({
        ok: false,
        reason: 'the "Stripe-Signature" header has no "t=" timestamp',
      });
      expect(check(config, BODY, { 'stripe-signature': `t=${NOW},v0=${digest(stripe.secret)}` })).toEqual({
        ok: false,
        reason: 'the "Stripe-Signature" header has no "v1=" signature',
      });
      expect(check(config, BODY, { 'stripe-signature': `t=soon,v1=${digest(stripe.secret)}` })).toEqual({
        ok: false,
        reason: 'the "t=" value of the "Stripe-Signature" header is not a Unix timestamp',
      });
    });
  });

  describe('Standard Webhooks', () => {
    const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
    const headersWith = (signature: string, timestamp = NOW) => ({
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signature,
    });
    const sign = (secret: string) =>
      hmac('sha256', standardWebhooksKey(secret), `${id}.${NOW}.`, BODY).toString('base64');
    const oldSecret = 'whsec_b2xkIHNlY3JldCBmb3Igcm90YXRpb24=';

    it('passes the specification test vector', () => {
      const body = Buffer.from('{"test": 2432232314}');
      const headers = headersWith('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=', 1614265330);
      const config = configFor('standardWebhooks', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
      expect(verifySignature({ rawBody: body, headers, nowSeconds: 1614265330 }, config)).toEqual({ ok: true });
    });

    it('accepts the second of two secrets during key rotation', () => {
      const config = configFor('standardWebhooks', oldSecret, standardWebhooks.secret);
      expect(check(config, BODY, headersWith(`v1,${sign(standardWebhooks.secret)}`))).toEqual({ ok: true });
    });

    it('accepts a header with several signatures, skipping other versions', () => {
      const config = configFor('standardWebhooks', standardWebhooks.secret);
      const header = `v1a,${sign(standardWebhooks.secret)} v1,${sign(oldSecret)} v1,${sign(standardWebhooks.secret)}`;
      expect(check(config, BODY, headersWith(header))).toEqual({ ok: true });
    });

    it('refuses a header with only other versions', () => {
      const config = configFor('standardWebhooks', standardWebhooks.secret);
      expect(check(config, BODY, headersWith(`v1a,${sign(standardWebhooks.secret)}`))).toEqual({
        ok: false,
        reason: 'the "webhook-signature" header has no "v1," signature',
      });
    });

    it('refuses a delivery without its id', () => {
      const config = configFor('standardWebhooks', standardWebhooks.secret);
      const { 'webhook-id': _, ...headers } = headersWith(`v1,${sign(standardWebhooks.secret)}`);
      expect(check(config, BODY, headers)).toEqual({ ok: false, reason: 'the "webhook-id" header is missing' });
    });

    it('uses a secret without whsec_ as UTF-8 bytes', () => {
      const config = configFor('standardWebhooks', 'plain text secret');
      expect(check(config, BODY, headersWith(`v1,${sign('plain text secret')}`))).toEqual({ ok: true });
    });
  });

  describe('custom configurations', () => {
    it('checks sha512 in base64 over a template with {timestamp}', () => {
      const config: SignatureConfig = {
        preset: 'custom',
        algorithm: 'sha512',
        header: 'X-Signature',
        encoding: 'base64',
        payload: 'ts={timestamp}&body={body}',
        timestampHeader: 'X-Timestamp',
        toleranceSeconds: 60,
        secrets: ['custom secret'],
      };
      const digest = hmac('sha512', 'custom secret', `ts=${NOW}&body=`, BODY).toString('base64');
      const headers = { 'x-signature': digest, 'x-timestamp': String(NOW) };
      expect(check(config, BODY, headers)).toEqual({ ok: true });
      expectRejected(
        check(config, BODY, headers, NOW + 61),
        'the timestamp is more than 60 s from the server time',
        ['custom secret'],
        [digest],
      );
    });

    it('checks sha1 in hex (GitHub legacy X-Hub-Signature)', () => {
      const config: SignatureConfig = {
        algorithm: 'sha1',
        header: 'X-Hub-Signature',
        prefix: 'sha1=',
        encoding: 'hex',
        secrets: [github.secret],
      };
      const digest = hmac('sha1', github.secret, BODY).toString('hex');
      expect(check(config, BODY, { 'x-hub-signature': `sha1=${digest}` })).toEqual({ ok: true });
      expect(check(config, Buffer.from('{}'), { 'x-hub-signature': `sha1=${digest}` })).toEqual({
        ok: false,
        reason: 'the signature does not match the body',
      });
    });

    it('says when the template needs a header that is not set up', () => {
      const config: SignatureConfig = {
        algorithm: 'sha256',
        header: 'X-Signature',
        encoding: 'hex',
        payload: '{id}.{body}',
        secrets: ['s'],
      };
      const digest = hmac('sha256', 's', BODY).toString('hex');
      expect(check(config, BODY, { 'x-signature': digest })).toEqual({
        ok: false,
        reason: 'the signed payload uses {id}, but no id header is set up',
      });
    });
  });
});
