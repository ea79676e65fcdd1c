/** Small client for the NocoBase HTTP API of the demo app. */
const { hasExited } = require('./server-process');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function isHealthy(baseUrl) {
  try {
    const response = await fetch(`${baseUrl}/api/__health_check`);
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Polls the health check until it answers 200; gives up when the server exits or the time runs out. */
async function waitForHealth(baseUrl, server, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited(server)) {
      throw new Error('the NocoBase server exited before it became healthy');
    }
    if (await isHealthy(baseUrl)) return;
    await sleep(1000);
  }
  throw new Error(`${baseUrl}/api/__health_check did not answer 200 within ${timeoutMs / 1000} s`);
}

async function callApi(baseUrl, action, { token, method = 'GET', query, body, headers = {} } = {}) {
  const search = query ? `?${new URLSearchParams(query)}` : '';
  const response = await fetch(`${baseUrl}/api/${action}${search}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} /api/${action} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text).data;
}

async function signIn(baseUrl, account, password) {
  const data = await callApi(baseUrl, 'auth:signIn', {
    method: 'POST',
    headers: { 'X-Authenticator': 'basic' },
    body: { account, password },
  });
  return data.token;
}

module.exports = { waitForHealth, callApi, signIn };
