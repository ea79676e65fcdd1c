import { basicAuthUrlHint, buildWebhookUrl } from '../webhookUrl';

describe('common/webhookUrl', () => {
  describe('buildWebhookUrl', () => {
    it('joins the API root and the workflow key', () => {
      expect(buildWebhookUrl({ apiBaseUrl: 'http://localhost:13000/api/', key: '1hfmkioou0d' })).toBe(
        'http://localhost:13000/api/webhook:trigger/1hfmkioou0d',
      );
    });

    it('keeps a custom API base path and tolerates a missing or doubled trailing slash', () => {
      expect(buildWebhookUrl({ apiBaseUrl: 'https://crm.example.com/nocobase/api', key: 'k' })).toBe(
        'https://crm.example.com/nocobase/api/webhook:trigger/k',
      );
      expect(buildWebhookUrl({ apiBaseUrl: 'https://h/api//', key: 'k' })).toBe('https://h/api/webhook:trigger/k');
    });

    it('adds the sub-application prefix, but not for the main application', () => {
      expect(buildWebhookUrl({ apiBaseUrl: 'https://h/api/', appName: 'sales', key: 'k' })).toBe(
        'https://h/api/__app/sales/webhook:trigger/k',
      );
      expect(buildWebhookUrl({ apiBaseUrl: 'https://h/api/', appName: 'main', key: 'k' })).toBe(
        'https://h/api/webhook:trigger/k',
      );
      expect(buildWebhookUrl({ apiBaseUrl: 'https://h/api/', appName: null, key: 'k' })).toBe(
        'https://h/api/webhook:trigger/k',
      );
    });

    it('encodes what would break the URL', () => {
      expect(buildWebhookUrl({ apiBaseUrl: 'https://h/api/', appName: 'a b', key: 'k/1' })).toBe(
        'https://h/api/__app/a%20b/webhook:trigger/k%2F1',
      );
    });
  });

  describe('basicAuthUrlHint', () => {
    it('puts the user name and a password placeholder into the URL', () => {
      expect(basicAuthUrlHint('https://h/api/webhook:trigger/k', 'gateway', '<password>')).toBe(
        'https://gateway:<password>@h/api/webhook:trigger/k',
      );
    });

    it('percent-encodes the user name and falls back to "user"', () => {
      expect(basicAuthUrlHint('http://h:1/x', 'a@b c', 'p')).toBe('http://a%40b%20c:p@h:1/x');
      expect(basicAuthUrlHint('http://h/x', '', 'p')).toBe('http://user:p@h/x');
    });
  });
});
