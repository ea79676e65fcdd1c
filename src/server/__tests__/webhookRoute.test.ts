import { matchWebhookPath } from '../webhookRoute';

describe('server/webhookRoute', () => {
  it.each([
    ['/api/webhook:trigger/1hfmkioou0d', '/api', '1hfmkioou0d'],
    ['/api/webhook:trigger/a%20b', '/api', 'a b'],
    ['/custom/webhook:trigger/k', '/custom/', 'k'],
  ])('reads the key of %s under %s', (path, prefix, key) => {
    expect(matchWebhookPath(path, prefix)).toBe(key);
  });

  it.each([
    ['/api/webhook:trigger', 'no key'],
    ['/api/webhook:trigger/', 'an empty key'],
    ['/api/webhook:trigger/a/b', 'a nested path'],
    ['/api/workflows:list', 'another action'],
    ['/other/webhook:trigger/k', 'another prefix'],
    ['/api/webhook:trigger/%E0%A4%A', 'a broken escape'],
  ])('leaves %s (%s) to NocoBase', (path) => {
    expect(matchWebhookPath(path, '/api')).toBeNull();
  });
});
