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

/** A module the page would provide: any export is a callable, constructible stand-in. */
function standInModule(exports = {}) {
  const stub = new Proxy(function standIn() {}, {
    get: (target, prop) => (prop in exports ? exports[prop] : prop === '__esModule' ? false : stub),
    apply: () => stub,
    construct: () => ({}),
  });
  return stub;
}

/**
 * Runs the client file the way the page does (named AMD define) with stand-ins for the page's modules, then loads
 * the plugin against a fake workflow plugin: it must register the webhook trigger and the Response end node.
 */
async function verifyClientDefine(deps) {
  const code = fs.readFileSync(path.join(dist, 'client', 'index.js'), 'utf8');
  const defined = [];
  const define = (name, names, factory) => defined.push({ name, names, factory });
  define.amd = {};
  vm.runInNewContext(code, { define, self: {} });

  assert.equal(defined.length, 1, 'dist/client/index.js must call define() once');
  const [{ name, names, factory }] = defined;
  assert.equal(name, pkg.name);
  assert.deepEqual([...names], deps);

  class Plugin {
    constructor(options, app) {
      this.app = app;
    }
  }
  class Trigger {}
  class Instruction {}
  const provided = {
    '@nocobase/client': { Plugin },
    '@nocobase/plugin-workflow/client': { Trigger, Instruction },
  };
  const exported = factory(...names.map((dep) => standInModule(provided[dep])));
  assert.ok(exported.default.prototype instanceof Plugin, 'default export must extend Plugin from @nocobase/client');

  const registered = {};
  const workflow = {
    registerTrigger: (type, trigger) => (registered[`trigger:${type}`] = trigger),
    registerInstruction: (type, instruction) => (registered[`instruction:${type}`] = instruction),
  };
  const app = { pm: { get: (plugin) => (plugin === 'workflow' ? workflow : undefined) }, i18n: { t: (key) => key } };
  await new exported.default({}, app).load();
  const trigger = registered['trigger:webhook'];
  const response = registered['instruction:response'];
  assert.ok(trigger instanceof Trigger && trigger.fieldset.webhookUrl, 'the webhook trigger must be registered');
  assert.ok(response instanceof Instruction && response.end === true, 'the Response node must be an end node');
}

module.exports = { verifyServerLoads, verifyClientDefine };
