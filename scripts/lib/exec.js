const { spawn } = require('node:child_process');

/** Runs a command to completion with inherited output; rejects with the command line when it fails. */
function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) {
        resolve();
        return;
      }
      reject(new Error(`${command} ${args.join(' ')} exited with ${signal || code}`));
    });
  });
}

/** Runs a package's bin script with the current Node, so no global tool is needed. */
function runNodeBin(binModule, args, options = {}) {
  return run(process.execPath, [require.resolve(binModule), ...args], options);
}

module.exports = { run, runNodeBin };
