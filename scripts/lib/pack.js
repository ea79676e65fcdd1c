const { execFile } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { promisify } = require('node:util');

const { root } = require('./paths');

/** npm as the user invoked it (npm start sets npm_execpath), otherwise the npm on PATH. */
function npmCommand(args) {
  const npmCli = process.env.npm_execpath;
  return npmCli && npmCli.endsWith('.js') ? [process.execPath, [npmCli, ...args]] : ['npm', args];
}

/** Packs the built plugin with `npm pack` into destDir and returns the absolute path of the tgz. */
async function packPlugin(destDir) {
  fs.mkdirSync(destDir, { recursive: true });
  const [command, args] = npmCommand(['pack', '--json', '--pack-destination', destDir]);
  const { stdout } = await promisify(execFile)(command, args, { cwd: root, maxBuffer: 16 * 1024 * 1024 });
  const [{ filename }] = JSON.parse(stdout);
  const tgzPath = path.join(destDir, path.basename(filename));
  console.log(`[start] packed ${path.relative(root, tgzPath)}`);
  return tgzPath;
}

module.exports = { packPlugin };
