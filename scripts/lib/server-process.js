const net = require('node:net');

const STOP_GRACE_MS = 10 * 1000;

function isPortInUse(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function hasExited(server) {
  return server.exitCode !== null || server.signalCode !== null;
}

/** Stops the server's whole process group (it was spawned detached), forcing it after a grace period. */
function stopServer(server, signal) {
  if (hasExited(server)) return;
  process.kill(-server.pid, signal);
  setTimeout(() => {
    if (!hasExited(server)) process.kill(-server.pid, 'SIGKILL');
  }, STOP_GRACE_MS).unref();
}

/** Ctrl+C or a kill of this script stops the server too; when the server ends, this script ends with it. */
function forwardStopSignals(server) {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => stopServer(server, signal));
  }
  server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

module.exports = { isPortInUse, hasExited, stopServer, forwardStopSignals };
