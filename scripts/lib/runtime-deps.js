const fs = require('node:fs');
const path = require('node:path');
const { builtinModules } = require('node:module');
const esbuild = require('esbuild');

const { root, dist } = require('./paths');

/** Third-party packages the server code requires and the NocoBase app does not provide: shipped in dist. */
const BUNDLED_DEPS = ['@hapi/bourne', 'busboy', 'bytes', 'fast-xml-parser', 'ipaddr.js', 'joi', 'jsonwebtoken', 'qs', 'raw-body'];

/** Packages every NocoBase app provides to its plugins' server code. */
function isProvidedByApp(name) {
  return name.startsWith('@nocobase/') || name === 'lodash';
}

function isBuiltin(name) {
  return name.startsWith('node:') || builtinModules.includes(name);
}

// Read from node_modules directly: some packages (fast-xml-parser) do not export `./package.json`.
function installedVersion(name) {
  return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/** Bundles one dependency into dist/node_modules/<name>/index.js, the layout NocoBase plugins ship. */
async function bundleDependency(name) {
  const outDir = path.join(dist, 'node_modules', name);
  await esbuild.build({
    entryPoints: [require.resolve(name, { paths: [root] })],
    outfile: path.join(outDir, 'index.js'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node18',
    legalComments: 'inline',
    logLevel: 'warning',
  });
  const manifest = { name, version: installedVersion(name), main: 'index.js' };
  fs.writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

async function bundleRuntimeDeps() {
  for (const name of BUNDLED_DEPS) {
    await bundleDependency(name);
  }
}

function packageNameOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function listJsFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return listJsFiles(file);
    return entry.name.endsWith('.js') ? [file] : [];
  });
}

/** Package names the compiled server code requires, relative paths and builtins left out. */
function requiredPackages(dirs) {
  const names = new Set();
  for (const file of dirs.flatMap(listJsFiles)) {
    for (const [, specifier] of fs.readFileSync(file, 'utf8').matchAll(/require\("([^"]+)"\)/g)) {
      if (!specifier.startsWith('.') && !isBuiltin(specifier)) names.add(packageNameOf(specifier));
    }
  }
  return [...names].sort();
}

/** Fails the build when server code starts requiring a package that would be missing in a NocoBase app. */
function assertServerDepsShipped() {
  const required = requiredPackages([path.join(dist, 'server'), path.join(dist, 'common')]);
  const missing = required.filter((name) => !isProvidedByApp(name) && !BUNDLED_DEPS.includes(name));
  if (missing.length) {
    throw new Error(`dist/server requires ${missing.join(', ')}: add them to BUNDLED_DEPS in ${__filename}`);
  }
  return required.filter(isProvidedByApp);
}

module.exports = { bundleRuntimeDeps, assertServerDepsShipped, installedVersion, packageNameOf };
