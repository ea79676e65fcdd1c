import { compileAllowList, validateRange } from '../security/ipAllowList';

describe('server/security/ipAllowList', () => {
  describe('IPv4', () => {
    const list = compileAllowList(['10.0.0.1', '192.168.0.0/16', '172.16.0.0/12']);

    it.each(['10.0.0.1', '192.168.0.1', '192.168.255.255', '172.31.1.1'])('allows %s', (ip) => {
      expect(list.allows(ip)).toBe(true);
    });

    it.each(['10.0.0.2', '110.0.0.1', '10.0.0.10', '192.169.0.1', '172.32.0.1', '1.10.0.0.1'])('refuses %s', (ip) => {
      expect(list.allows(ip)).toBe(false);
    });

    it('matches on bits, not on text', () => {
      const eight = compileAllowList(['10.0.0.0/8']);
      expect(eight.allows('10.255.1.2')).toBe(true);
      expect(eight.allows('100.0.0.1')).toBe(false);
      expect(eight.allows('11.0.0.1')).toBe(false);
    });

    it('allows everyone with 0.0.0.0/0 and only one address with /32', () => {
      expect(compileAllowList(['0.0.0.0/0']).allows('203.0.113.9')).toBe(true);
      expect(compileAllowList(['203.0.113.9/32']).allows('203.0.113.9')).toBe(true);
      expect(compileAllowList(['203.0.113.9/32']).allows('203.0.113.8')).toBe(false);
    });
  });

  describe('IPv4-mapped IPv6 callers', () => {
    const list = compileAllowList(['10.0.0.0/8', '127.0.0.1']);

    it.each(['::ffff:10.1.2.3', '::FFFF:10.1.2.3', '::ffff:127.0.0.1', '::ffff:a01:203'])('matches %s', (ip) => {
      expect(list.allows(ip)).toBe(true);
    });

    it('does not match a mapped address outside the range', () => {
      expect(list.allows('::ffff:11.1.2.3')).toBe(false);
    });

    it('matches a mapped IPv6 range against a plain IPv4 caller', () => {
      expect(compileAllowList(['::ffff:10.0.0.0/104']).allows('10.9.9.9')).toBe(true);
    });
  });

  describe('IPv6', () => {
    const list = compileAllowList(['2001:db8::/32', '::1']);

    it.each(['2001:db8::1', '2001:0db8:ffff::42', '::1', '0:0:0:0:0:0:0:1'])('allows %s', (ip) => {
      expect(list.allows(ip)).toBe(true);
    });

    it.each(['2001:db9::1', '2001:d::1', '::2', '127.0.0.1', '::ffff:127.0.0.1'])('refuses %s', (ip) => {
      expect(list.allows(ip)).toBe(false);
    });

    it('ignores a zone index on a link-local caller', () => {
      expect(compileAllowList(['fe80::/10']).allows('fe80::1%eth0')).toBe(true);
    });
  });

  describe('families do not mix', () => {
    it('never matches an IPv6 caller against an IPv4 range', () => {
      const everyIPv4 = compileAllowList(['0.0.0.0/0']);
      expect(everyIPv4.allows('2001:db8::1')).toBe(false);
      expect(everyIPv4.allows('::1')).toBe(false);
      expect(everyIPv4.allows('::')).toBe(false);
    });

    it('does not read ::1 as 0.0.0.1', () => {
      expect(compileAllowList(['::1']).allows('0.0.0.1')).toBe(false);
      expect(compileAllowList(['0.0.0.1']).allows('::1')).toBe(false);
    });
  });

  describe('callers that cannot be parsed', () => {
    const list = compileAllowList(['0.0.0.0/0', '::/0']);

    it.each(['', 'abc', '10.0.0', '010.0.0.1', '10.0.0.1/8', '10.0.0.256', 'localhost'])('refuses "%s"', (ip) => {
      expect(list.allows(ip)).toBe(false);
    });
  });

  it('allows no one with an empty list', () => {
    expect(compileAllowList([]).allows('127.0.0.1')).toBe(false);
  });

  describe('validateRange', () => {
    const valid = ['10.0.0.1', '10.0.0.0/8', '0.0.0.0/0', ' 10.0.0.0/24 ', '2001:db8::/32', '::1', '::/0'];

    it.each(valid)('accepts "%s"', (range) => {
      expect(validateRange(range)).toBeNull();
    });

    it.each([
      ['10.0.0.0/33', '"10.0.0.0/33": the prefix length of an IPv4 range is 0 to 32'],
      ['2001:db8::/129', '"2001:db8::/129": the prefix length of an IPv6 range is 0 to 128'],
      ['10.0.0.1/-1', '"10.0.0.1/-1": the prefix length of an IPv4 range is 0 to 32'],
      ['10.0.0.1/', '"10.0.0.1/": the prefix length of an IPv4 range is 0 to 32'],
      ['abc', '"abc" is not an IPv4 or IPv6 address or CIDR range'],
      ['10/8', '"10/8" is not an IPv4 or IPv6 address or CIDR range'],
      ['010.0.0.1', '"010.0.0.1" is not an IPv4 or IPv6 address or CIDR range'],
      ['10.0.0.0/8/8', '"10.0.0.0/8/8" is not an IPv4 or IPv6 address or CIDR range'],
      ['fe80::1%eth0', '"fe80::1%eth0" is not an IPv4 or IPv6 address or CIDR range'],
      ['', '"" is not an IPv4 or IPv6 address or CIDR range'],
    ])('refuses "%s"', (range, message) => {
      expect(validateRange(range)).toBe(message);
    });

    it('refuses an entry that is not a string', () => {
      expect(validateRange(10 as unknown as string)).toBe('10 is not an IPv4 or IPv6 address or CIDR range');
    });
  });

  describe('compileAllowList', () => {
    it('throws naming the bad entry', () => {
      expect(() => compileAllowList(['10.0.0.0/8', '10.0.0.0/33'])).toThrow(
        'invalid IP allow list entry: "10.0.0.0/33": the prefix length of an IPv4 range is 0 to 32',
      );
      expect(() => compileAllowList(['abc'])).toThrow('"abc" is not an IPv4 or IPv6 address or CIDR range');
    });
  });
});
