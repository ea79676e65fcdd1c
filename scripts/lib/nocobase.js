const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');

const { root } = require('./paths');
const { run } = require('./exec');
const { appDir, absolutePathOverrides } = require('./app-env');

const nodeModules = path.join(root, 'node_modules');
const cliBin = path.join(nodeModules, '.bin', 'nocobase');

/**
 * Environment of the nocobase CLI: the caller's (so it wins over .env), yarn and the CLI on PATH, and the
 * project's node_modules as the place where the plugin manager finds preset plugins and links added ones.
 */
function cliEnv() {
  return {
    ...process.env,
    ...absolutePathOverrides(process.env),
    PATH: `${path.join(nodeModules, '.bin')}${path.delimiter}${process.env.PATH}`,
    NODE_MODULES_PATH: process.env.NODE_MODULES_PATH || nodeModules,
    NODE_PATH: process.env.NODE_PATH || nodeModules,
  };
}

function runCli(args) {
  console.log(`[start] nocobase ${args.join(' ')}`);
  return run(cliBin, args, { cwd: appDir, env: cliEnv() });
}

/**
 * For SQLite an installed app is a non-empty database file. For other databases nothing here can tell, so
 * install runs every time and NocoBase itself skips an installed database ("app is installed").
 */
function isInstalled(settings) {
  if (settings.dialect !== 'sqlite') return false;
  return fs.existsSync(settings.dbStorage) && fs.statSync(settings.dbStorage).size > 0;
}

async function installOnce(settings) {
  if (isInstalled(settings)) {
    console.log(`[start] app already installed (${path.relative(root, settings.dbStorage)}), skipping install`);
    return;
  }
  await runCli(['install']);
}

/** Adds (or replaces) the packed plugin and enables it; both commands are safe to repeat on every start. */
async function addAndEnablePlugin(tgzPath, packageName) {
  await runCli(['pm', 'add', tgzPath]);
  await runCli(['pm', 'enable', packageName]);
}

/** Starts `nocobase start` in its own process group, so that stopping it stops every process it spawned. */
function startServer() {
  console.log('[start] nocobase start');
  return spawn(cliBin, ['start'], { cwd: appDir, env: cliEnv(), stdio: 'inherit', detached: true });
}

module.exports = { installOnce, addAndEnablePlugin, startServer };
