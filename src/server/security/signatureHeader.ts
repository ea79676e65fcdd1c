import type { RequestHeaders, SignatureConfig, SignatureEncoding } from '../../common/types';

export type ParsedSignatureHeader =
  | { ok: true; signatures: Buffer[]; timestamp?: string }
  | { ok: false; reason: string };

const ENCODED_SIGNATURE: Record<SignatureEncoding, RegExp> = {
  hex: /^(?:[0-9a-f]{2})+$/i,
  base64: /^[A-Za-z0-9+/]+={0,2}$/,
};

/** Case-insensitive; a repeated header reads as Node joins it (`a, b`), which no signature format accepts. */
export function readHeader(headers: RequestHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === wanted);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Buffer.from skips what is not hex or base64, so a signature with trailing garbage must be refused first. */
function decodeSignatures(texts: string[], encoding: SignatureEncoding): Buffer[] {
  return texts.filter((text) => ENCODED_SIGNATURE[encoding].test(text)).map((text) => Buffer.from(text, encoding));
}

/** `[prefix]<digest>` */
function parsePlain(value: string, config: SignatureConfig): ParsedSignatureHeader {
  const prefix = config.prefix ?? '';
  if (!value.startsWith(prefix)) {
    return { ok: false, reason: `the "${config.header}" header does not start with "${prefix}"` };
  }
  return { ok: true, signatures: decodeSignatures([value.slice(prefix.length).trim()], config.encoding) };
}

/** `t=<ts>,v1=<digest>[,v1=<digest>][,v0=...]`: only `v1` entries are signatures. */
function parseStripe(value: string, config: SignatureConfig): ParsedSignatureHeader {
  const entries = value.split(',').map((entry) => {
    const separator = entry.indexOf('=');
    return separator < 0 ? ['', ''] : [entry.slice(0, separator).trim(), entry.slice(separator + 1).trim()];
  });
  const timestamp = entries.find(([key]) => key === 't')?.[1];
  const v1 = entries.filter(([key]) => key === 'v1').map(([, digest]) => digest);
  if (timestamp === undefined) {
    return { ok: false, reason: `the "${config.header}" header has no "t=" timestamp` };
  }
  if (v1.length === 0) {
    return { ok: false, reason: `the "${config.header}" header has no "v1=" signature` };
  }
  return { ok: true, signatures: decodeSignatures(v1, config.encoding), timestamp };
}

/** Space-separated `v1,<digest>` entries; other versions (`v1a` is asymmetric) are not HMACs and are skipped. */
function parseStandardWebhooks(value: string, config: SignatureConfig): ParsedSignatureHeader {
  const v1 = value
    .split(/\s+/)
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => entry.slice('v1,'.length));
  if (v1.length === 0) {
    return { ok: false, reason: `the "${config.header}" header has no "v1," signature` };
  }
  return { ok: true, signatures: decodeSignatures(v1, config.encoding) };
}

export function parseSignatureHeader(value: string, config: SignatureConfig): ParsedSignatureHeader {
  switch (config.format ?? 'plain') {
    case 'stripe':
      return parseStripe(value, config);
    case 'standardWebhooks':
      return parseStandardWebhooks(value, config);
    default:
      return parsePlain(value.trim(), config);
  }
}
