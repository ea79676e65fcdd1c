#!/usr/bin/env node
// Builds and packs the plugin, then runs a real NocoBase app (the installed @nocobase/app) with it, in the
// ignored storage/app folder, and prepares a demo webhook workflow to try it with curl.
const path = require('node:path');

const { root, pkg } = require('./lib/paths');
const { run } = require('./lib/exec');
const { appDir, ensureAppFolder, readSettings } = require('./lib/app-env');
const { packPlugin } = require('./lib/pack');
const { installOnce, addAndEnablePlugin, startServer } = require('./lib/nocobase');
const { waitForHealth, signIn } = require('./lib/http-api');
const { ensureDemoWorkflow, demoCurl } = require('./lib/demo-workflow');
const { isPortInUse, stopServer, forwardStopSignals } = require('./lib/server-process');

const HEALTH_TIMEOUT_MS = 5 * 60 * 1000;

/** Signs in as root and prints where to sign in and how to call the demo workflow. */
async function prepareDemo(baseUrl, settings) {
  const credentials = `${settings.rootAccount} / ${settings.rootPassword}`;
  console.log(`\n[start] NocoBase is up: sign in at ${baseUrl}/signin as ${credentials}`);
  try {
    const token = await signIn(baseUrl, settings.rootAccount, settings.rootPassword);
    const workflow = await ensureDemoWorkflow(baseUrl, token);
    console.log(`[start] try the demo webhook:\n\n  ${demoCurl(baseUrl, workflow)}\n`);
  } catch (error) {
    // The server is still useful without the demo (e.g. the root password was changed in the UI).
    console.error(`[start] could not prepare the demo workflow: ${error.message}`);
  }
}

async function main() {
  ensureAppFolder();
  const settings = readSettings();
  if (await isPortInUse(settings.port)) {
    throw new Error(`port ${settings.port} is already in use; stop that server or set APP_PORT`);
  }
  await run(process.execPath, [path.join(__dirname, 'build.js')], { cwd: root });
  const tgzPath = await packPlugin(appDir);
  await installOnce(settings);
  await addAndEnablePlugin(tgzPath, pkg.name);

  const server = startServer();
  forwardStopSignals(server);
  const baseUrl = `http://localhost:${settings.port}`;
  try {
    await waitForHealth(baseUrl, server, HEALTH_TIMEOUT_MS);
  } catch (error) {
    // The exit handler of forwardStopSignals ends this process once the server is down.
    console.error(`[start] ${error.message}`);
    stopServer(server, 'SIGTERM');
    return;
  }
  if (process.env.DEMO_WORKFLOW === 'off') {
    console.log(`\n[start] NocoBase is up at ${baseUrl} (no demo workflow: DEMO_WORKFLOW=off)`);
    return;
  }
  await prepareDemo(baseUrl, settings);
}

main().catch((error) => {
  console.error(`[start] ${error.message}`);
  process.exit(1);
});
