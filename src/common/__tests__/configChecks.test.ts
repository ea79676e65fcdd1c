import fc from 'fast-check';

import { validateRange } from '../../server/security/ipAllowList';
import {
  SECURITY_LIMITS,
  checkBasicAuth,
  checkHeaderRows,
  checkHeaderToken,
  checkIdempotency,
  checkIpAllowList,
  checkIpRange,
  checkJwt,
  checkPathRows,
  checkRateLimit,
  checkResponseHeaders,
  checkSecrets,
  checkSignature,
  checkStatusCode,
} from '../configChecks';
import { SIGNATURE_PRESETS, applySignaturePreset } from '../signaturePresets';
import type { SignatureConfig } from '../types';

const messageOf = (problem: ReturnType<typeof checkSignature>) =>
  typeof problem === 'string' ? problem : problem?.message;

const PEM = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----';

describe('common/configChecks', () => {
  it('header rows need a name following the header name rule', () => {
    expect(checkHeaderRows([{ key: 'X-Request-Id' }, { key: 'date' }])).toBeNull();
    expect(checkHeaderRows([{ key: '' }])).toBe('Header name is required');
    expect(checkHeaderRows([{ key: 'X Id' }])).toMatch(/^Header names start with a letter/);
    expect(checkHeaderRows(undefined)).toBeNull();
  });

  it('path rows need a key that does not reach a prototype', () => {
    expect(checkPathRows([{ key: 'query[0].a', _var: 'query_$0' }])).toBeNull();
    expect(checkPathRows([{ key: '  ' }])).toBe('Key path is required');
    expect(checkPathRows([{ key: 'a.__proto__.b' }])).toMatch(/__proto__/);
    expect(checkPathRows([{ key: 'a["constructor"]' }])).toMatch(/constructor/);
  });

  it('Basic auth, when on, needs both a user name without ":" and a password', () => {
    expect(checkBasicAuth(false)).toBeNull();
    expect(checkBasicAuth(null)).toBeNull();
    expect(checkBasicAuth({ username: 'u', password: 'p' })).toBeNull();
    expect(checkBasicAuth({ username: 'u', password: '' })).toBe('User name and password are required');
    expect(checkBasicAuth({ username: '', password: 'p' })).toBe('User name and password are required');
    expect(checkBasicAuth({ username: 'a:b', password: 'p' })).toBe('The user name must not contain ":"');
  });

  it('status codes are integers within the range', () => {
    expect(checkStatusCode(200, 200, 599)).toBeNull();
    expect(checkStatusCode('404', 200, 599)).toBeNull();
    expect(checkStatusCode(199, 200, 599)).not.toBeNull();
    expect(checkStatusCode(600, 100, 599)).not.toBeNull();
    expect(checkStatusCode(200.5, 100, 599)).not.toBeNull();
    expect(checkStatusCode(undefined, 100, 599)).not.toBeNull();
    expect(checkStatusCode('', 100, 599)).not.toBeNull();
  });

  it('response headers follow the header name rule', () => {
    expect(checkResponseHeaders([{ name: 'X-Handled-By', value: 'nocobase' }])).toBeNull();
    expect(checkResponseHeaders([{ name: '1x', value: '' }])).not.toBeNull();
  });

  describe('signature', () => {
    const github: SignatureConfig = applySignaturePreset('github', { secrets: ['s3cret'] });

    it('is fine off, and with every preset once a secret is given', () => {
      expect(checkSignature(false)).toBeNull();
      expect(checkSignature(undefined)).toBeNull();
      for (const preset of Object.keys(SIGNATURE_PRESETS) as (keyof typeof SIGNATURE_PRESETS)[]) {
        expect([preset, checkSignature(applySignaturePreset(preset, { secrets: ['{{$env.SECRET}}'] }))]).toEqual([
          preset,
          null,
        ]);
      }
    });

    it('needs at least one secret and no blank one', () => {
      expect(checkSignature({ ...github, secrets: [] })).toBe('Enter at least one secret');
      expect(checkSignature({ ...github, secrets: ['a', ' '] })).toBe('Secrets must not be empty');
      expect(checkSecrets(undefined)).toBe('Enter at least one secret');
      expect(checkSecrets(['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'old'])).toBeNull();
    });

    it('needs valid header names; the timestamp and id headers may be left blank', () => {
      expect(checkSignature({ ...github, header: '' })).toBe('Header name is required');
      expect(checkSignature({ ...github, header: 'X Sig' })).toMatch(/^Header names start with a letter/);
      expect(checkSignature({ ...github, timestampHeader: '', idHeader: '  ' })).toBeNull();
      expect(checkSignature({ ...github, timestampHeader: 'X:Time' })).toMatch(/^Header names start with a letter/);
      expect(checkSignature({ ...github, idHeader: 'Id?' })).toMatch(/^Header names start with a letter/);
    });

    it('signs a payload holding {body}, whose {timestamp} and {id} have a header to come from', () => {
      expect(checkSignature({ ...github, payload: '{timestamp}' })).toBe('The signed payload must contain {body}');
      expect(checkSignature({ ...github, payload: '{timestamp}.{body}' })).toBe(
        'The signed payload uses {timestamp}: set the timestamp header',
      );
      expect(checkSignature({ ...github, payload: '{timestamp}.{body}', timestampHeader: 'X-Time' })).toBeNull();
      // The stripe format reads t= from the signature header.
      expect(checkSignature({ ...github, format: 'stripe', payload: '{timestamp}.{body}' })).toBeNull();
      expect(checkSignature({ ...github, payload: '{id}:{body}' })).toBe(
        'The signed payload uses {id}: set the id header',
      );
      expect(checkSignature({ ...github, payload: '{id}:{body}', idHeader: 'X-Id' })).toBeNull();
    });

    it('takes a tolerance that is a whole number of seconds, 0 included', () => {
      const slack = applySignaturePreset('slack', { secrets: ['s'] });
      expect(checkSignature({ ...slack, toleranceSeconds: 0 })).toBeNull();
      expect(checkSignature({ ...slack, toleranceSeconds: SECURITY_LIMITS.toleranceSeconds })).toBeNull();
      for (const toleranceSeconds of [-1, 1.5, SECURITY_LIMITS.toleranceSeconds + 1, Number.NaN]) {
        expect(checkSignature({ ...slack, toleranceSeconds })).toEqual({
          message: 'The tolerance must be a whole number of seconds from 0 to {{max}}',
          values: { max: SECURITY_LIMITS.toleranceSeconds },
        });
      }
      expect(messageOf(checkSignature({ ...slack, toleranceSeconds: '5' as unknown as number }))).toMatch(/tolerance/);
    });
  });

  it('a header token needs a valid header name and a token', () => {
    expect(checkHeaderToken(false)).toBeNull();
    expect(checkHeaderToken({ header: 'Authorization', token: 't0ken' })).toBeNull();
    expect(checkHeaderToken({ header: 'X-Token', token: '' })).toBe('Enter the token');
    expect(checkHeaderToken({ header: 'X-Token', token: '   ' })).toBe('Enter the token');
    expect(checkHeaderToken({ header: '', token: 't' })).toBe('Header name is required');
    expect(checkHeaderToken({ header: 'X Token', token: 't' })).toMatch(/^Header names start with a letter/);
  });

  describe('JWT', () => {
    it('needs an algorithm, a secret for HS and a PEM public key for RS / ES', () => {
      expect(checkJwt(false)).toBeNull();
      expect(checkJwt({ algorithms: ['HS256'], secret: 's' })).toBeNull();
      expect(checkJwt({ header: 'X-Jwt', algorithms: ['RS256', 'ES384'], publicKey: PEM })).toBeNull();
      expect(
        checkJwt({ algorithms: ['HS512', 'ES256'], secret: 's', publicKey: PEM, issuer: 'i', audience: 'a' }),
      ).toBeNull();
      expect(checkJwt({ algorithms: [] })).toBe('Choose at least one algorithm');
      expect(checkJwt({ secret: 's' })).toBe('Choose at least one algorithm');
      expect(checkJwt({ algorithms: ['HS384'] })).toBe('HS256, HS384 and HS512 need a secret');
      expect(checkJwt({ algorithms: ['HS384', 'RS256'], secret: '', publicKey: PEM })).toBe(
        'HS256, HS384 and HS512 need a secret',
      );
      expect(checkJwt({ algorithms: ['RS256'], secret: 's' })).toBe('RS and ES algorithms need a public key');
      expect(checkJwt({ algorithms: ['ES512'], publicKey: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE' })).toBe(
        'The public key must be in PEM form (-----BEGIN PUBLIC KEY-----)',
      );
    });

    it('defaults its header when blank, and checks it when given', () => {
      expect(checkJwt({ header: '', algorithms: ['HS256'], secret: 's' })).toBeNull();
      expect(checkJwt({ header: 'X Jwt', algorithms: ['HS256'], secret: 's' })).toMatch(/^Header names start/);
    });
  });

  describe('IP allow-list', () => {
    it('takes IPv4 / IPv6 addresses and CIDR ranges', () => {
      for (const range of [
        '10.0.0.0/8',
        '203.0.113.7',
        ' 192.168.1.0/24 ',
        '0.0.0.0/0',
        '::1',
        '2001:db8::/32',
        '::/0',
        '::ffff:10.0.0.1',
        'fe80::1/128',
      ]) {
        expect([range, checkIpRange(range)]).toEqual([range, null]);
      }
      expect(checkIpAllowList({ ranges: ['10.0.0.0/8', '2001:db8::/32'] })).toBeNull();
      expect(checkIpAllowList(false)).toBeNull();
    });

    it('refuses anything else, naming the entry', () => {
      for (const range of [
        '',
        'localhost',
        '10.1',
        '010.0.0.1',
        '0x7f.0.0.1',
        '1.2.3.256',
        '1::2::3',
        'fe80::1%eth0',
        '10.0.0.0/8/8',
        '10.0.0.0 /8',
      ]) {
        expect([range, checkIpRange(range)?.message]).toEqual([
          range,
          '"{{range}}" is not an IPv4 or IPv6 address or CIDR range',
        ]);
      }
      expect(checkIpRange('10.0.0.0/33')).toEqual({
        message: '"{{range}}": the prefix length of an {{family}} range is 0 to {{max}}',
        values: { range: '10.0.0.0/33', family: 'IPv4', max: 32 },
      });
      expect(checkIpRange('2001:db8::/129')?.values).toEqual({ range: '2001:db8::/129', family: 'IPv6', max: 128 });
      for (const range of ['10.0.0.0/', '10.0.0.0/-1', '10.0.0.0/+8', '10.0.0.0/0008', '::/x']) {
        expect([range, checkIpRange(range)?.message]).toEqual([range, expect.stringMatching(/prefix length/)]);
      }
    });

    it('needs at least one entry and reports the first bad one', () => {
      expect(checkIpAllowList({ ranges: [] })).toBe('Enter at least one address or range');
      expect(checkIpAllowList({})).toBe('Enter at least one address or range');
      expect(checkIpAllowList({ ranges: ['10.0.0.0/8', '300.0.0.0/8', 'x'] })).toEqual({
        message: '"{{range}}" is not an IPv4 or IPv6 address or CIDR range',
        values: { range: '300.0.0.0/8' },
      });
    });

    it('accepts exactly what the server accepts', () => {
      const octet = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('00', '01', '0x1', ''));
      const ipv4 = fc.array(octet, { minLength: 3, maxLength: 5 }).map((parts) => parts.join('.'));
      const hextet = fc.oneof(
        fc.integer({ min: 0, max: 0x1ffff }).map((n) => n.toString(16)),
        fc.constant(''),
      );
      const ipv6 = fc.array(hextet, { minLength: 2, maxLength: 9 }).map((parts) => parts.join(':'));
      const prefix = fc.oneof(
        fc.constant(''),
        fc.integer({ min: -1, max: 140 }).map((n) => `/${n}`),
        fc.constantFrom('/', '/08', '/1/2'),
      );
      const entry = fc.oneof(
        fc.tuple(fc.oneof(ipv4, ipv6), prefix).map(([address, bits]) => address + bits),
        fc.string(),
      );
      fc.assert(
        fc.property(entry, (range) => {
          expect([range, checkIpRange(range) === null]).toEqual([range, validateRange(range) === null]);
        }),
        { numRuns: 3000 },
      );
    });
  });

  describe('idempotency', () => {
    it('reads a valid header name or body path', () => {
      expect(checkIdempotency(false)).toBeNull();
      expect(checkIdempotency({ source: 'header', key: 'Idempotency-Key', windowSeconds: 86_400 })).toBeNull();
      expect(checkIdempotency({ source: 'body', key: 'event.id' })).toBeNull();
      expect(checkIdempotency({ source: 'header', key: 'event.id' })).toMatch(/^Header names start with a letter/);
      expect(checkIdempotency({ source: 'body', key: '' })).toBe('Key path is required');
      expect(checkIdempotency({ source: 'body', key: 'a.__proto__' })).toMatch(/__proto__/);
      expect(checkIdempotency({ source: 'header', key: '' })).toBe('Header name is required');
    });

    it('keeps a key for a whole number of seconds, at least 1', () => {
      const window = (windowSeconds: number) => checkIdempotency({ source: 'header', key: 'Id', windowSeconds });
      expect(window(1)).toBeNull();
      expect(window(SECURITY_LIMITS.idempotencyWindowSeconds)).toBeNull();
      for (const windowSeconds of [0, -5, 2.5, SECURITY_LIMITS.idempotencyWindowSeconds + 1]) {
        expect(window(windowSeconds)).toEqual({
          message: 'The window must be a whole number of seconds from 1 to {{max}}',
          values: { max: SECURITY_LIMITS.idempotencyWindowSeconds },
        });
      }
    });
  });

  it('a rate limit needs a limit and a window of at least 1, whole numbers', () => {
    expect(checkRateLimit(false)).toBeNull();
    expect(checkRateLimit({ limit: 1, windowSeconds: 1 })).toBeNull();
    expect(
      checkRateLimit({ limit: SECURITY_LIMITS.rateLimit, windowSeconds: SECURITY_LIMITS.rateLimitWindowSeconds }),
    ).toBeNull();
    for (const limit of [0, 1.5, undefined, SECURITY_LIMITS.rateLimit + 1]) {
      expect(checkRateLimit({ limit, windowSeconds: 60 })).toEqual({
        message: 'The limit must be a whole number from 1 to {{max}}',
        values: { max: SECURITY_LIMITS.rateLimit },
      });
    }
    for (const windowSeconds of [0, 0.5, undefined, SECURITY_LIMITS.rateLimitWindowSeconds + 1]) {
      expect(checkRateLimit({ limit: 10, windowSeconds })).toEqual({
        message: 'The window must be a whole number of seconds from 1 to {{max}}',
        values: { max: SECURITY_LIMITS.rateLimitWindowSeconds },
      });
    }
  });
});
