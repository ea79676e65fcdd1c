/**
 * The one request every target gets (same headers, query string and body; only the path differs), and the webhook
 * configuration that reads it: Basic auth, 3 header rows, 5 query rows, 10 body rows.
 */
export const BASIC_AUTH = { username: 'bench', password: 's3cret-bench' };

/** Five query parameters, two of them nested (qs form). */
export const QUERY_STRING = 'source=bench&page=1&filter%5Btype%5D=payment&tags%5B0%5D=alpha&ts=1700000000';

export const REQUEST_HEADERS: Record<string, string> = {
  'content-type': 'application/json',
  authorization: `Basic ${Buffer.from(`${BASIC_AUTH.username}:${BASIC_AUTH.password}`).toString('base64')}`,
  'x-request-id': 'bench-0001',
  'x-signature': 'sha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  'x-event-type': 'payment.updated',
};

/** ~60 bytes of event plus the fields the 10 body rows read; `status: 'paid'` takes the sync example's 200 branch. */
export const BASE_BODY = {
  event: 'payment.updated',
  status: 'paid',
  orderId: 'A-1001',
  amount: 42.5,
  currency: 'EUR',
  customer: { id: 'C-7', email: 'c7@example.com' },
  items: [{ sku: 'X1', qty: 2 }],
  meta: { source: 'bench', attempt: 1 },
};

export const BODY_JSON = JSON.stringify(BASE_BODY);

/** autocannon replaces `[<id>]` with a unique id per request: the drain counts distinct deliveries with it. */
export const DELIVERY_BODY_JSON = JSON.stringify({ ...BASE_BODY, deliveryId: '[<id>]' });

const BODY_ROW_KEYS = [
  'event',
  'status',
  'orderId',
  'amount',
  'currency',
  'customer.id',
  'customer.email',
  'items[0].sku',
  'items[0].qty',
  'meta.source',
];
const QUERY_ROW_KEYS = ['source', 'page', 'filter.type', 'tags[0]', 'ts'];
const HEADER_ROW_KEYS = ['X-Request-Id', 'X-Signature', 'X-Event-Type'];

export const SIGNING_SECRET = 'bench-signing-secret';

export const ASYNC_WEBHOOK_CONFIG = {
  basicAuthentication: BASIC_AUTH,
  request: {
    headers: HEADER_ROW_KEYS.map((key) => ({ key, alias: key })),
    query: QUERY_ROW_KEYS.map((key, i) => ({ key, alias: key, _var: `query_$${i}` })),
    body: BODY_ROW_KEYS.map((key, i) => ({ key, alias: key, _var: `body_$${i}` })),
  },
  response: { statusCode: 200, body: 'ok' },
};

/** The base body padded with order lines (realistic JSON, many small objects) to `bytes` bytes, exactly. */
export function bodyOfSize(bytes: number): string {
  const line = { sku: 'SKU-000000', name: 'Replacement part, standard size', qty: 1, price: 9.99 };
  const lineBytes = JSON.stringify(line).length + 1;
  const frame = JSON.stringify({ ...BASE_BODY, lines: [], note: '' }).length;
  const count = Math.max(0, Math.floor((bytes - frame - 16) / lineBytes));
  const lines = Array.from({ length: count }, (_, i) => ({ ...line, sku: `SKU-${String(i).padStart(6, '0')}`, qty: 1 + (i % 5) }));
  const json = JSON.stringify({ ...BASE_BODY, lines, note: '' });
  return json.replace(/"note":""}$/, `"note":"${'n'.repeat(Math.max(0, bytes - json.length))}"}`);
}

/** The same workflow plus a GitHub-style HMAC-SHA256 signature check over the raw body. */
export const SIGNED_WEBHOOK_CONFIG = {
  ...ASYNC_WEBHOOK_CONFIG,
  signature: {
    preset: 'github',
    algorithm: 'sha256',
    header: 'X-Hub-Signature-256',
    format: 'plain',
    prefix: 'sha256=',
    encoding: 'hex',
    payload: '{body}',
    secrets: [SIGNING_SECRET],
  },
};
