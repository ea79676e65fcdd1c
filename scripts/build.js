#!/usr/bin/env node
// Builds the plugin into dist/ in the layout NocoBase loads: dist/server (tsc), dist/node_modules (bundled
// runtime deps), dist/locale, dist/client (one UMD file for the page).
const fs = require('node:fs');

const { dist } = require('./lib/paths');
const { compileServer, writePackageEntry, copyLocales } = require('./lib/build-server');
const { bundleRuntimeDeps, assertServerDepsShipped, packageNameOf } = require('./lib/runtime-deps');
const { buildClient } = require('./lib/build-client');
const { writeExternalVersion } = require('./lib/external-version');
const { verifyServerLoads, verifyClientDefine } = require('./lib/verify-dist');

async function step(title, fn) {
  const started = Date.now();
  const result = await fn();
  console.log(`[build] ${title} (${Date.now() - started} ms)`);
  return result;
}

async function build() {
  fs.rmSync(dist, { recursive: true, force: true });
  await step('server: tsc -> dist/server, dist/common', compileServer);
  const serverExternals = await step('server: check required packages', assertServerDepsShipped);
  await step('server: bundle runtime deps -> dist/node_modules', bundleRuntimeDeps);
  await step('entry: dist/index.js', writePackageEntry);
  await step('locale: src/locale -> dist/locale', copyLocales);
  const clientExternals = await step('client: esbuild + UMD -> dist/client/index.js', buildClient);
  await step('dist/externalVersion.js', () =>
    writeExternalVersion([...serverExternals, ...clientExternals].map(packageNameOf)),
  );
  await step('verify: dist/server loads', verifyServerLoads);
  await step('verify: dist/client defines the plugin', () => verifyClientDefine(clientExternals));
}

build().catch((error) => {
  console.error(`[build] failed: ${error.message}`);
  process.exit(1);
});
