import { checkSignature } from '../../common/configChecks';
import {
  changeIdempotencySource,
  createIdempotencyDraft,
  createJwtDraft,
  createSignatureDraft,
  formatRanges,
  isAuthorizationHeader,
  parseRanges,
  savedJwt,
  savedSignature,
  signatureUsesTimestamp,
} from '../securityValues';

describe('client/securityValues', () => {
  it('a new signature draft is a custom scheme with one secret to fill in', () => {
    const draft = createSignatureDraft();
    expect(draft).toEqual({
      preset: 'custom',
      header: '',
      algorithm: 'sha256',
      encoding: 'hex',
      format: 'plain',
      payload: '{body}',
      secrets: [''],
    });
    expect(checkSignature(draft)).toBe('Header name is required');
  });

  it('saves a signature without blank optional fields, and a prefix only for the plain format', () => {
    const draft = {
      ...createSignatureDraft(),
      header: 'X-Sig',
      prefix: '',
      timestampHeader: ' ',
      idHeader: '',
      payload: '',
      secrets: ['s'],
    };
    expect(savedSignature(draft)).toEqual({
      preset: 'custom',
      header: 'X-Sig',
      algorithm: 'sha256',
      encoding: 'hex',
      format: 'plain',
      secrets: ['s'],
    });
    expect(savedSignature({ ...draft, prefix: 'v1=' }).prefix).toBe('v1=');
    expect(savedSignature({ ...draft, prefix: 'v1=', format: 'stripe' })).not.toHaveProperty('prefix');
    expect(savedSignature({ ...draft, toleranceSeconds: undefined })).not.toHaveProperty('toleranceSeconds');
    expect(savedSignature({ ...draft, toleranceSeconds: 0 }).toleranceSeconds).toBe(0);
  });

  it('a tolerance applies once the scheme reads a timestamp', () => {
    expect(signatureUsesTimestamp({ format: 'plain', payload: '{body}' })).toBe(false);
    expect(signatureUsesTimestamp({ payload: 'v0:{timestamp}:{body}' })).toBe(true);
    expect(signatureUsesTimestamp({ format: 'stripe' })).toBe(true);
    expect(signatureUsesTimestamp({ timestampHeader: 'X-Time' })).toBe(true);
  });

  it('saves only the JWT key material the chosen algorithms use', () => {
    const draft = { ...createJwtDraft(), secret: 's', publicKey: 'PEM', issuer: '', audience: 'api' };
    expect(savedJwt(draft)).toEqual({ header: 'Authorization', algorithms: ['HS256'], secret: 's', audience: 'api' });
    expect(savedJwt({ ...draft, algorithms: ['RS256'] })).toEqual({
      header: 'Authorization',
      algorithms: ['RS256'],
      publicKey: 'PEM',
      audience: 'api',
    });
    expect(savedJwt({ ...draft, header: '', algorithms: ['HS384', 'ES256'] })).toEqual({
      algorithms: ['HS384', 'ES256'],
      secret: 's',
      publicKey: 'PEM',
      audience: 'api',
    });
  });

  it('the Authorization header (or none) carries a Bearer token', () => {
    expect(isAuthorizationHeader('Authorization')).toBe(true);
    expect(isAuthorizationHeader(' authorization ')).toBe(true);
    expect(isAuthorizationHeader('')).toBe(true);
    expect(isAuthorizationHeader('X-Token')).toBe(false);
  });

  it('reads one range per line, also separated by commas or spaces, and writes one per line', () => {
    expect(parseRanges('10.0.0.0/8\n\n  2001:db8::/32 \r\n')).toEqual(['10.0.0.0/8', '2001:db8::/32']);
    expect(parseRanges('1.2.3.4, 5.6.7.8;9.9.9.9 ::1')).toEqual(['1.2.3.4', '5.6.7.8', '9.9.9.9', '::1']);
    expect(parseRanges('   ')).toEqual([]);
    expect(formatRanges(['10.0.0.0/8', '::1'])).toBe('10.0.0.0/8\n::1');
    expect(formatRanges(undefined)).toBe('');
  });

  it('switching the idempotency source does not carry the default header over as a body path', () => {
    const header = createIdempotencyDraft();
    expect(header).toEqual({ source: 'header', key: 'Idempotency-Key', windowSeconds: 86_400 });
    const body = changeIdempotencySource(header, 'body');
    expect(body).toEqual({ source: 'body', key: '', windowSeconds: 86_400 });
    expect(changeIdempotencySource(body, 'header').key).toBe('Idempotency-Key');
    expect(changeIdempotencySource({ ...header, key: 'X-Delivery' }, 'body').key).toBe('X-Delivery');
    expect(changeIdempotencySource({ ...body, key: 'event.id' }, 'header').key).toBe('event.id');
    expect(changeIdempotencySource(header, 'header')).toBe(header);
  });
});
