import { createDefaultTriggerConfig } from '../defaults';
import { bodyFormatOf, convertBody, isDefaultAsyncResponse, isResponseNodeAvailable } from '../responseSettings';

describe('common/responseSettings', () => {
  it('recognises the default async answer', () => {
    expect(isDefaultAsyncResponse(createDefaultTriggerConfig().response)).toBe(true);
    expect(isDefaultAsyncResponse(undefined)).toBe(true);
    expect(isDefaultAsyncResponse({})).toBe(true);
    expect(isDefaultAsyncResponse({ statusCode: 202, body: 'ok' })).toBe(false);
    expect(isDefaultAsyncResponse({ statusCode: 200, body: { ok: true } })).toBe(false);
    expect(isDefaultAsyncResponse({ statusCode: 200, body: 'ok', headers: [{ name: 'X-A', value: '1' }] })).toBe(false);
  });

  it('switches a body between text and JSON', () => {
    expect(bodyFormatOf('ok')).toBe('text');
    expect(bodyFormatOf({ a: 1 })).toBe('json');
    expect(convertBody({ a: 1 }, 'text')).toBe('{\n  "a": 1\n}');
    expect(convertBody('{"a": 1}', 'json')).toEqual({ a: 1 });
    expect(convertBody('ok', 'json')).toEqual({});
    expect(convertBody('5', 'json')).toEqual({});
    expect(convertBody(undefined, 'json')).toEqual({});
    expect(convertBody('ok', 'text')).toBe('ok');
  });

  it('offers the Response node only in synchronous webhook workflows', () => {
    expect(isResponseNodeAvailable({ type: 'webhook', sync: true })).toBe(true);
    expect(isResponseNodeAvailable({ type: 'webhook', sync: false })).toBe(false);
    expect(isResponseNodeAvailable({ type: 'webhook' })).toBe(false);
    expect(isResponseNodeAvailable({ type: 'request-interception', sync: true })).toBe(false);
    expect(isResponseNodeAvailable(null)).toBe(false);
  });
});
