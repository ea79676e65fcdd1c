import { RESOURCE_NAME, TRIGGER_ACTION_NAME } from './constants';

export interface WebhookUrlParts {
  /** Absolute URL of the API root as the page uses it, e.g. `https://crm.example.com/api/`. */
  apiBaseUrl: string;
  /** Name of the sub-application the page belongs to; empty, null or `main` for the main application. */
  appName?: string | null;
  /** The workflow's key, shared by all its versions. */
  key: string;
}

const MAIN_APP = 'main';

/**
 * The URL a third party calls: `<api root>/webhook:trigger/<key>`, or `<api root>/__app/<name>/webhook:trigger/<key>`
 * for a sub-application (the page itself reaches a sub-app with an `X-App` header, which a sender cannot set).
 */
export function buildWebhookUrl({ apiBaseUrl, appName, key }: WebhookUrlParts): string {
  const base = apiBaseUrl.replace(/\/+$/, '');
  const app = appName && appName !== MAIN_APP ? `/__app/${encodeURIComponent(appName)}` : '';
  return `${base}${app}/${RESOURCE_NAME}:${TRIGGER_ACTION_NAME}/${encodeURIComponent(key)}`;
}

/**
 * How a sender puts Basic credentials into the URL (`https://user:pass@host/...`, RFC 3986 userinfo). The user
 * name is percent-encoded; the password is shown as the given placeholder, never as the secret itself.
 */
export function basicAuthUrlHint(url: string, username: string, passwordPlaceholder: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)(.*)$/i.exec(url);
  if (!match) {
    return url;
  }
  const user = username ? encodeURIComponent(username) : 'user';
  return `${match[1]}${user}:${passwordPlaceholder}@${match[2]}`;
}
