const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const assert = require('node:assert/strict');

const { root, dist, pkg } = require('./paths');
const { run } = require('./exec');

/** Loads dist/server in a fresh Node process, as the plugin manager would. */
async function verifyServerLoads() {
  const script = `
    const mod = require(${JSON.stringify(path.join(dist, 'server'))});
    if (typeof mod.default !== 'function') throw new Error('dist/server has no default plugin class');
  `;
  await run(process.execPath, ['-e', script], { cwd: root });
}

/** Runs the client file the way the page does (named AMD define) with a stand-in @nocobase/client. */
function verifyClientDefine(deps) {
  const code = fs.readFileSync(path.join(dist, 'client', 'index.js'), 'utf8');
  const defined = [];
  const define = (name, names, factory) => defined.push({ name, names, factory });
  define.amd = {};
  vm.runInNewContext(code, { define, self: {} });

  assert.equal(defined.length, 1, 'dist/client/index.js must call define() once');
  const [{ name, names, factory }] = defined;
  assert.equal(name, pkg.name);
  assert.deepEqual([...names], deps);

  class Plugin {}
  const modules = names.map((dep) => (dep === '@nocobase/client' ? { Plugin } : {}));
  const exported = factory(...modules);
  assert.ok(exported.default.prototype instanceof Plugin, 'default export must extend Plugin from @nocobase/client');
}

module.exports = { verifyServerLoads, verifyClientDefine };
