import type { RequestHeaders } from '../../common/types';
import { checkHeaderToken, readHeaderCredential } from '../security/headerToken';

describe('server/security/headerToken', () => {
  describe('readHeaderCredential', () => {
    it('reads a Bearer credential from authorization, the scheme in any case', () => {
      expect(readHeaderCredential({ authorization: 'bearer abc.def' }, 'Authorization')).toEqual({
        ok: true,
        credential: 'abc.def',
      });
    });

    it('takes the whole value of any other header', () => {
      expect(readHeaderCredential({ 'x-token': 'Bearer abc' }, 'X-Token')).toEqual({
        ok: true,
        credential: 'Bearer abc',
      });
    });

    it.each([
      ['absent', {}],
      ['empty', { 'x-token': '' }],
    ])('reports a missing header when it is %s', (_label, headers: RequestHeaders) => {
      expect(readHeaderCredential(headers, 'x-token')).toEqual({
        ok: false,
        reason: 'the "x-token" header is missing',
      });
    });

    it('refuses a header sent more than once', () => {
      expect(readHeaderCredential({ 'x-token': ['a', 'b'] }, 'x-token')).toEqual({
        ok: false,
        reason: 'the "x-token" header is sent more than once',
      });
    });

    it.each(['Basic abc', 'Bearer', 'Bearer   ', 'abc'])('refuses authorization "%s"', (value) => {
      expect(readHeaderCredential({ authorization: value }, 'authorization')).toEqual({
        ok: false,
        reason: 'the "authorization" header must be "Bearer <token>"',
      });
    });
  });

  describe('checkHeaderToken', () => {
    const custom = { header: 'X-Webhook-Token', token: 's3cret-token' };
    const bearer = { header: 'Authorization', token: 's3cret-token' };

    it('accepts the exact token in a custom header', () => {
      expect(checkHeaderToken({ 'x-webhook-token': 's3cret-token' }, custom)).toEqual({ ok: true });
    });

    it('accepts the exact token as a Bearer authorization', () => {
      expect(checkHeaderToken({ authorization: 'BEARER s3cret-token' }, bearer)).toEqual({ ok: true });
    });

    it('does not expect a scheme in a custom header', () => {
      expect(checkHeaderToken({ 'x-webhook-token': 'Bearer s3cret-token' }, custom).ok).toBe(false);
    });

    it.each([
      ['a different token', 's3cret-tokeN'],
      ['a prefix of it', 's3cret'],
      ['a longer one', 's3cret-token2'],
    ])('refuses %s without echoing the expected token', (_label, given) => {
      const result = checkHeaderToken({ 'x-webhook-token': given }, custom);
      expect(result).toEqual({ ok: false, reason: 'the token in the "x-webhook-token" header is wrong' });
      expect(JSON.stringify(result)).not.toContain('s3cret-token');
    });

    it('reports the missing header by name', () => {
      expect(checkHeaderToken({ authorization: 'Bearer s3cret-token' }, custom)).toEqual({
        ok: false,
        reason: 'the "x-webhook-token" header is missing',
      });
    });

    it('refuses a non-Bearer authorization even when it holds the token', () => {
      expect(checkHeaderToken({ authorization: 's3cret-token' }, bearer).ok).toBe(false);
    });
  });
});
