import { credentialsMatch, parseBasicAuthorization } from '../basicAuth';

const encode = (text: string) => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;

describe('server/basicAuth', () => {
  describe('parseBasicAuthorization', () => {
    it('reads user name and password, splitting at the first colon', () => {
      expect(parseBasicAuthorization(encode('user:pa:ss'))).toEqual({ username: 'user', password: 'pa:ss' });
    });

    it('accepts an empty password and non-ASCII characters', () => {
      expect(parseBasicAuthorization(encode('юзер:'))).toEqual({ username: 'юзер', password: '' });
    });

    it('is case-insensitive in the scheme', () => {
      expect(parseBasicAuthorization(`basic ${Buffer.from('a:b').toString('base64')}`)).toEqual({
        username: 'a',
        password: 'b',
      });
    });

    it.each([
      ['no header', undefined],
      ['another scheme', 'Bearer abc.def'],
      ['no colon', encode('userpass')],
      ['not base64', 'Basic %%%'],
      ['nothing after the scheme', 'Basic '],
    ])('returns null for %s', (_label, header) => {
      expect(parseBasicAuthorization(header)).toBeNull();
    });
  });

  describe('credentialsMatch', () => {
    const expected = { username: 'gateway', password: 's3cret' };

    it('accepts exactly the configured pair', () => {
      expect(credentialsMatch({ username: 'gateway', password: 's3cret' }, expected)).toBe(true);
    });

    it.each([
      ['a wrong password', { username: 'gateway', password: 's3cret!' }],
      ['a wrong user name', { username: 'Gateway', password: 's3cret' }],
      ['a prefix of the password', { username: 'gateway', password: 's3c' }],
      ['swapped parts', { username: 's3cret', password: 'gateway' }],
    ])('refuses %s', (_label, given) => {
      expect(credentialsMatch(given, expected)).toBe(false);
    });

    it('refuses a pair that moves the colon between the parts', () => {
      expect(credentialsMatch({ username: 'a', password: 'b:c' }, { username: 'a:b', password: 'c' })).toBe(false);
    });

    it('follows a change of the expected credentials (no stale cached digest)', () => {
      expect(credentialsMatch({ username: 'u', password: 'old' }, { username: 'u', password: 'old' })).toBe(true);
      expect(credentialsMatch({ username: 'u', password: 'old' }, { username: 'u', password: 'new' })).toBe(false);
      expect(credentialsMatch({ username: 'u', password: 'new' }, { username: 'u', password: 'new' })).toBe(true);
    });

    it('refuses missing credentials even when the expected ones are empty strings', () => {
      expect(credentialsMatch(null, { username: '', password: '' })).toBe(false);
    });
  });
});
