const fs = require('node:fs');
const path = require('node:path');

const { root, dist } = require('./paths');
const { runNodeBin } = require('./exec');

/** Compiles src/server and src/common (tests excluded) to CommonJS with declarations. */
async function compileServer() {
  await runNodeBin('typescript/bin/tsc', ['-p', path.join(root, 'tsconfig.build.json')], { cwd: root });
}

/** dist/index.js is the package entry NocoBase packages expose next to dist/server/index.js. */
function writePackageEntry() {
  fs.writeFileSync(path.join(dist, 'index.js'), "'use strict';\n\nmodule.exports = require('./server');\n");
  fs.writeFileSync(
    path.join(dist, 'index.d.ts'),
    "export * from './server';\nexport { default } from './server';\n",
  );
}

function copyLocales() {
  const from = path.join(root, 'src', 'locale');
  const to = path.join(dist, 'locale');
  fs.mkdirSync(to, { recursive: true });
  for (const file of fs.readdirSync(from).filter((name) => name.endsWith('.json'))) {
    fs.copyFileSync(path.join(from, file), path.join(to, file));
  }
}

module.exports = { compileServer, writePackageEntry, copyLocales };
