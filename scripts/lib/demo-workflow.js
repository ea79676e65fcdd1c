const { callApi } = require('./http-api');

const DEMO_TITLE = 'Demo webhook';

function demoWorkflowValues() {
  return {
    type: 'webhook',
    title: DEMO_TITLE,
    sync: false,
    enabled: true,
    config: { basicAuthentication: false, request: {}, response: { statusCode: 200, body: 'ok' } },
  };
}

async function findDemoWorkflow(baseUrl, token) {
  const workflows = await callApi(baseUrl, 'workflows:list', {
    token,
    query: { filter: JSON.stringify({ title: DEMO_TITLE, current: true }), pageSize: '1' },
  });
  return workflows[0];
}

/** Returns the demo async webhook workflow, creating it the first time only. */
async function ensureDemoWorkflow(baseUrl, token) {
  const existing = await findDemoWorkflow(baseUrl, token);
  if (existing) {
    console.log(`[start] workflow "${DEMO_TITLE}" already exists (id ${existing.id})`);
    return existing;
  }
  const created = await callApi(baseUrl, 'workflows:create', { token, method: 'POST', body: demoWorkflowValues() });
  console.log(`[start] created workflow "${DEMO_TITLE}" (id ${created.id})`);
  return created;
}

function demoCurl(baseUrl, workflow) {
  return (
    `curl -X POST ${baseUrl}/api/webhook:trigger/${workflow.key} ` +
    `-H 'Content-Type: application/json' -d '{"hello":"world"}'`
  );
}

module.exports = { ensureDemoWorkflow, demoCurl };
