import {
  checkBasicAuth,
  checkHeaderRows,
  checkPathRows,
  checkResponseHeaders,
  checkStatusCode,
} from '../configChecks';

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
});
