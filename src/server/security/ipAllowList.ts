import ipaddr from 'ipaddr.js';

/**
 * Caller addresses allowed by a list of IPv4 / IPv6 addresses and CIDR ranges. Everything is compared as IPv6, an
 * IPv4 address as its IPv4-mapped form (`::ffff:a.b.c.d`), which is also how Node reports IPv4 callers on a
 * dual-stack socket: so `10.0.0.0/8` matches `10.1.2.3` and `::ffff:10.1.2.3`, and no other IPv6 address. An IPv6
 * range that covers `::ffff:0:0/96` (such as `::/0`) covers the IPv4 callers inside it as well.
 */
export interface AllowList {
  allows(ip: string): boolean;
}

interface CidrRange {
  network: ipaddr.IPv6;
  bits: number;
}

const IPV4_MAPPED_PREFIX_BITS = 96;

/** Strict parsing: IPv4 in four-part decimal only, so `010.0.0.1` or `10.1` are not read as other addresses. */
function parseAddress(text: string): { address: ipaddr.IPv6; isIPv4: boolean } | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) {
    return { address: ipaddr.IPv4.parse(text).toIPv4MappedAddress(), isIPv4: true };
  }
  if (ipaddr.IPv6.isValid(text)) {
    return { address: ipaddr.IPv6.parse(text), isIPv4: false };
  }
  return null;
}

/** The compiled range, or an error message naming the entry. */
function parseRange(range: unknown): CidrRange | string {
  const invalid = `${JSON.stringify(range)} is not an IPv4 or IPv6 address or CIDR range`;
  if (typeof range !== 'string') {
    return invalid;
  }
  const [addressText, prefixText, ...rest] = range.trim().split('/');
  const parsed = parseAddress(addressText);
  if (!parsed || parsed.address.zoneId || rest.length) {
    return invalid;
  }
  const maxBits = parsed.isIPv4 ? 32 : 128;
  if (prefixText === undefined) {
    return { network: parsed.address, bits: 128 };
  }
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > maxBits) {
    const family = parsed.isIPv4 ? 'IPv4' : 'IPv6';
    return `${JSON.stringify(range)}: the prefix length of an ${family} range is 0 to ${maxBits}`;
  }
  const bits = Number(prefixText) + (parsed.isIPv4 ? IPV4_MAPPED_PREFIX_BITS : 0);
  return { network: parsed.address, bits };
}

/** For config validation: an error message naming the entry, or null when the entry is valid. */
export function validateRange(range: string): string | null {
  const parsed = parseRange(range);
  return typeof parsed === 'string' ? parsed : null;
}

/** Throws on the first invalid entry. An empty list allows no one. */
export function compileAllowList(ranges: string[]): AllowList {
  const compiled = ranges.map((range) => {
    const parsed = parseRange(range);
    if (typeof parsed === 'string') {
      throw new Error(`invalid IP allow list entry: ${parsed}`);
    }
    return parsed;
  });
  return {
    allows(ip: string): boolean {
      const caller = typeof ip === 'string' ? parseAddress(ip.trim()) : null;
      return caller !== null && compiled.some(({ network, bits }) => caller.address.match(network, bits));
    },
  };
}
