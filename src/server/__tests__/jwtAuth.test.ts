import { createHmac, generateKeyPairSync } from 'node:crypto';

import { sign } from 'jsonwebtoken';

import type { JwtAlgorithm, JwtConfig } from '../../common/types';
import { verifyJwt } from '../security/jwtAuth';

const SECRET = 'hmac-secret-for-tests';
const NOW = 1_700_000_000;

const pem = (key: { export(options: { type: 'spki'; format: 'pem' }): string | Buffer }) =>
  key.export({ type: 'spki', format: 'pem' }).toString();
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const RSA_PUBLIC = pem(rsa.publicKey);
const EC_PUBLIC = pem(ec.publicKey);

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** Builds a token by hand, for what jsonwebtoken refuses to sign. */
function handmade(header: object, payload: object, signWith?: (input: string) => Buffer): string {
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  return `${input}.${signWith ? base64url(signWith(input)) : ''}`;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const hs256: JwtConfig = { algorithms: ['HS256'], secret: SECRET };
const rs256: JwtConfig = { algorithms: ['RS256'], publicKey: RSA_PUBLIC };

function expectRefused(result: ReturnType<typeof verifyJwt>, reason: string, token?: string) {
  expect(result).toEqual({ ok: false, reason });
  expect(JSON.stringify(result)).not.toContain(SECRET);
  if (token) expect(JSON.stringify(result)).not.toContain(token);
}

describe('server/security/jwtAuth', () => {
  describe('reading the token', () => {
    const token = sign({ sub: 'svc' }, SECRET, { algorithm: 'HS256' });

    it('reads a Bearer token from authorization by default, the scheme in any case', () => {
      expect(verifyJwt({ authorization: `bearer ${token}` }, hs256).ok).toBe(true);
    });

    it('takes the whole value of a configured header', () => {
      expect(verifyJwt({ 'x-jwt': token }, { ...hs256, header: 'X-JWT' }).ok).toBe(true);
    });

    it('reports a missing header by name', () => {
      expectRefused(verifyJwt({}, hs256), 'the "authorization" header is missing');
      expectRefused(verifyJwt(bearer(token), { ...hs256, header: 'x-jwt' }), 'the "x-jwt" header is missing');
    });

    it('refuses authorization without the Bearer scheme', () => {
      expectRefused(verifyJwt({ authorization: token }, hs256), 'the "authorization" header must be "Bearer <token>"');
    });

    it.each(['abc', 'a.b.c', 'a.b'])('refuses "%s" as not a JWT', (value) => {
      expectRefused(verifyJwt(bearer(value), hs256), 'the token is not a well-formed JWT');
    });
  });

  describe('HMAC', () => {
    it('returns the claims of a valid token', () => {
      const token = sign({ sub: 'svc', scope: ['orders'], iat: NOW }, SECRET, { algorithm: 'HS256' });
      expect(verifyJwt(bearer(token), hs256, NOW)).toEqual({
        ok: true,
        claims: { sub: 'svc', scope: ['orders'], iat: NOW },
      });
    });

    it('refuses a token signed with another secret, echoing neither secret nor token', () => {
      const token = sign({ sub: 'svc' }, 'another-secret', { algorithm: 'HS256' });
      expectRefused(verifyJwt(bearer(token), hs256), 'the token signature is invalid', token);
    });

    it('refuses a token whose claims were changed after signing', () => {
      const [header, , signature] = sign({ role: 'user' }, SECRET, { algorithm: 'HS256' }).split('.');
      const forged = `${header}.${base64url(JSON.stringify({ role: 'admin' }))}.${signature}`;
      expectRefused(verifyJwt(bearer(forged), hs256), 'the token signature is invalid');
    });

    it('refuses an algorithm outside the list, even one the secret could verify', () => {
      const token = sign({ sub: 'svc' }, SECRET, { algorithm: 'HS384' });
      expectRefused(verifyJwt(bearer(token), hs256), "the token's algorithm is not allowed");
      expect(verifyJwt(bearer(token), { ...hs256, algorithms: ['HS256', 'HS384'] }).ok).toBe(true);
    });

    it('refuses a token whose payload is not a JSON object', () => {
      const token = sign('just text', SECRET, { algorithm: 'HS256' });
      expectRefused(verifyJwt(bearer(token), hs256), "the token's payload is not a JSON object");
    });

    it('says when no secret is configured', () => {
      const token = sign({ sub: 'svc' }, SECRET, { algorithm: 'HS256' });
      expectRefused(verifyJwt(bearer(token), { algorithms: ['HS256'] }), 'no secret is configured for HS256');
    });
  });

  describe('time claims', () => {
    const token = sign({ sub: 'svc', nbf: NOW - 60, exp: NOW + 60 }, SECRET, { algorithm: 'HS256' });

    it('accepts a token inside its validity window', () => {
      expect(verifyJwt(bearer(token), hs256, NOW).ok).toBe(true);
    });

    it('refuses an expired token, expiry included', () => {
      expectRefused(verifyJwt(bearer(token), hs256, NOW + 60), 'the token has expired');
      expectRefused(verifyJwt(bearer(token), hs256, NOW + 3600), 'the token has expired');
    });

    it('refuses a token before its nbf', () => {
      expectRefused(verifyJwt(bearer(token), hs256, NOW - 61), 'the token is not valid yet');
    });

    it('uses the real clock when no time is given', () => {
      const expired = sign({ exp: Math.floor(Date.now() / 1000) - 10 }, SECRET, { algorithm: 'HS256' });
      expectRefused(verifyJwt(bearer(expired), hs256), 'the token has expired');
    });

    it('refuses an exp that is not a number', () => {
      const odd = handmade({ alg: 'HS256', typ: 'JWT' }, { exp: 'tomorrow' }, (input) =>
        createHmac('sha256', SECRET).update(input).digest(),
      );
      expectRefused(verifyJwt(bearer(odd), hs256, NOW), 'the token\'s "exp" or "nbf" claim is not a number');
    });
  });

  describe('issuer and audience', () => {
    const config: JwtConfig = { ...hs256, issuer: 'https://idp.example', audience: 'webhooks' };

    it('accepts the configured issuer and an audience among several', () => {
      const token = sign({ sub: 'svc' }, SECRET, {
        algorithm: 'HS256',
        issuer: 'https://idp.example',
        audience: ['billing', 'webhooks'],
      });
      expect(verifyJwt(bearer(token), config)).toMatchObject({ ok: true, claims: { iss: 'https://idp.example' } });
    });

    it('refuses another issuer', () => {
      const token = sign({}, SECRET, { algorithm: 'HS256', issuer: 'https://evil.example', audience: 'webhooks' });
      expectRefused(verifyJwt(bearer(token), config), "the token's issuer is not accepted");
    });

    it('refuses another audience, or none', () => {
      const other = sign({}, SECRET, { algorithm: 'HS256', issuer: 'https://idp.example', audience: 'billing' });
      const none = sign({}, SECRET, { algorithm: 'HS256', issuer: 'https://idp.example' });
      expectRefused(verifyJwt(bearer(other), config), "the token's audience is not accepted");
      expectRefused(verifyJwt(bearer(none), config), "the token's audience is not accepted");
    });
  });

  describe('public keys', () => {
    it('verifies RS256 with the RSA public key', () => {
      const token = sign({ sub: 'svc' }, rsa.privateKey, { algorithm: 'RS256' });
      expect(verifyJwt(bearer(token), rs256)).toMatchObject({ ok: true, claims: { sub: 'svc' } });
    });

    it('refuses RS256 signed by another key', () => {
      const token = sign({ sub: 'svc' }, otherRsa.privateKey, { algorithm: 'RS256' });
      expectRefused(verifyJwt(bearer(token), rs256), 'the token signature is invalid');
    });

    it('verifies ES256 with the EC public key', () => {
      const token = sign({ sub: 'svc' }, ec.privateKey, { algorithm: 'ES256' });
      const config: JwtConfig = { algorithms: ['ES256'], publicKey: EC_PUBLIC };
      expect(verifyJwt(bearer(token), config)).toMatchObject({ ok: true, claims: { sub: 'svc' } });
    });

    it('refuses a token whose algorithm does not fit the configured key', () => {
      const token = sign({ sub: 'svc' }, ec.privateKey, { algorithm: 'ES256' });
      const config: JwtConfig = { algorithms: ['RS256', 'ES256'], publicKey: RSA_PUBLIC };
      expectRefused(verifyJwt(bearer(token), config), 'the configured key cannot verify ES256 tokens');
    });

    it('says when no public key is configured', () => {
      const token = sign({ sub: 'svc' }, rsa.privateKey, { algorithm: 'RS256' });
      const config: JwtConfig = { algorithms: ['RS256'], secret: SECRET };
      expectRefused(verifyJwt(bearer(token), config), 'no public key is configured for RS256');
    });
  });

  describe('attacks', () => {
    const forgedWithPublicKey = handmade({ alg: 'HS256', typ: 'JWT' }, { sub: 'admin' }, (input) =>
      createHmac('sha256', RSA_PUBLIC).update(input).digest(),
    );

    it.each<[string, JwtAlgorithm[]]>([
      ['the list allows HS256 too', ['HS256']],
      ['the list allows only RS256', []],
    ])('refuses alg none when %s', (_label, extra) => {
      const unsigned = handmade({ alg: 'none', typ: 'JWT' }, { sub: 'admin' });
      const config: JwtConfig = { ...rs256, secret: SECRET, algorithms: ['RS256', ...extra] };
      expectRefused(verifyJwt(bearer(unsigned), config), "the token's algorithm is not allowed");
    });

    it('refuses alg none even when "none" slipped into the stored list', () => {
      const unsigned = handmade({ alg: 'none', typ: 'JWT' }, { sub: 'admin' });
      const config = { ...hs256, algorithms: ['none' as JwtAlgorithm, 'HS256' as const] };
      expectRefused(verifyJwt(bearer(unsigned), config), "the token's algorithm is not allowed");
    });

    it('refuses an HS256 token with an empty signature', () => {
      const unsigned = handmade({ alg: 'HS256', typ: 'JWT' }, { sub: 'admin' });
      expectRefused(verifyJwt(bearer(unsigned), hs256), 'the token is not signed');
    });

    it('refuses HS256 signed with the RSA public key as HMAC secret when RS256 is configured', () => {
      expectRefused(verifyJwt(bearer(forgedWithPublicKey), rs256), "the token's algorithm is not allowed");
    });

    it('never checks an HS token against the public key, even when both families are allowed', () => {
      const both: JwtConfig = { algorithms: ['RS256', 'HS256'], publicKey: RSA_PUBLIC, secret: SECRET };
      expectRefused(verifyJwt(bearer(forgedWithPublicKey), both), 'the token signature is invalid');
      const noSecret: JwtConfig = { algorithms: ['RS256', 'HS256'], publicKey: RSA_PUBLIC };
      expectRefused(verifyJwt(bearer(forgedWithPublicKey), noSecret), 'no secret is configured for HS256');
    });

    it('refuses a PEM public key used as the HMAC secret', () => {
      const config: JwtConfig = { algorithms: ['HS256'], secret: RSA_PUBLIC };
      expectRefused(verifyJwt(bearer(forgedWithPublicKey), config), 'the configured key cannot verify HS256 tokens');
    });
  });
});
