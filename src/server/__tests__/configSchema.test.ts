import { responseNodeConfigSchema, webhookTriggerConfigSchema } from '../configSchema';
import { createDefaultTriggerConfig } from '../../common/defaults';

function errorPaths(schema: typeof webhookTriggerConfigSchema, config: unknown): string[] {
  const { error } = schema.validate(config, { abortEarly: false, allowUnknown: true });
  return (error?.details ?? []).map((detail) => detail.path.join('.'));
}

describe('server/configSchema', () => {
  describe('webhook trigger config', () => {
    it('accepts the default config and the documented full shape', () => {
      expect(errorPaths(webhookTriggerConfigSchema, createDefaultTriggerConfig())).toEqual([]);
      expect(
        errorPaths(webhookTriggerConfigSchema, {
          basicAuthentication: { username: 'u', password: 'p' },
          request: {
            headers: [{ key: 'X-Request-Id', alias: 'Request id' }],
            query: [{ key: 'query[0].a', alias: 'A', _var: 'query_$0' }],
            body: [{ key: 'b.c', alias: 'C', _var: 'body_$0' }],
          },
          response: { statusCode: 200, headers: [{ name: 'X-Handled-By', value: 'nocobase' }], body: 'ok' },
        }),
      ).toEqual([]);
    });

    it.each([
      ['a status code below 100', { response: { statusCode: 99 } }, 'response.statusCode'],
      ['a status code above 599', { response: { statusCode: 600 } }, 'response.statusCode'],
      ['a header name with a space', { response: { headers: [{ name: 'X Bad', value: '1' }] } }, 'response.headers.0.name'],
      ['a header value with a line break', { response: { headers: [{ name: 'X-A', value: 'a\r\nb' }] } }, 'response.headers.0.value'],
      ['basic auth without password', { basicAuthentication: { username: 'u' } }, 'basicAuthentication.password'],
      ['basic auth without user name', { basicAuthentication: { password: 'p' } }, 'basicAuthentication.username'],
      ['basic auth with an empty user name', { basicAuthentication: { username: '', password: 'p' } }, 'basicAuthentication.username'],
      ['basic auth switched on with no credentials', { basicAuthentication: true }, 'basicAuthentication'],
      ['a user name with a colon', { basicAuthentication: { username: 'a:b', password: 'p' } }, 'basicAuthentication.username'],
      ['a body row without key', { request: { body: [{ alias: 'x' }] } }, 'request.body.0.key'],
      ['a query row with an empty key', { request: { query: [{ key: ' ' }] } }, 'request.query.0.key'],
      ['a header row without key', { request: { headers: [{ alias: 'x' }] } }, 'request.headers.0.key'],
      ['a row reaching __proto__', { request: { body: [{ key: 'a.__proto__.b' }] } }, 'request.body.0.key'],
      ['a row reaching constructor.prototype', { request: { query: [{ key: 'constructor[prototype]' }] } }, 'request.query.0.key'],
      ['a request log keeping no request', { requestLog: { enabled: true, limit: 0 } }, 'requestLog.limit'],
      ['a request log keeping over 10000 requests', { requestLog: { enabled: true, limit: 10_001 } }, 'requestLog.limit'],
      ['a fractional request log limit', { requestLog: { enabled: true, limit: 2.5 } }, 'requestLog.limit'],
      ['a request log switch that is not a boolean', { requestLog: { enabled: 'yes' } }, 'requestLog.enabled'],
      ['a body capture that is not a boolean', { requestLog: { enabled: true, captureBody: 1 } }, 'requestLog.captureBody'],
    ])('refuses %s, naming the field', (_label, config, path) => {
      expect(errorPaths(webhookTriggerConfigSchema, config)).toContain(path);
    });
  });

  describe('response node config', () => {
    it('accepts a status with headers and any JSON body', () => {
      expect(
        errorPaths(responseNodeConfigSchema, { statusCode: 201, headers: [{ name: 'X-A', value: '{{$context.body.id}}' }], body: [1] }),
      ).toEqual([]);
    });

    it.each([
      ['a status below 200', { statusCode: 199 }, 'statusCode'],
      ['a status above 599', { statusCode: 600 }, 'statusCode'],
      ['a fractional status', { statusCode: 200.5 }, 'statusCode'],
      ['a bad header name', { statusCode: 200, headers: [{ name: '1abc', value: '' }] }, 'headers.0.name'],
    ])('refuses %s', (_label, config, path) => {
      expect(errorPaths(responseNodeConfigSchema, config)).toContain(path);
    });
  });
});
