/**
 * Node-RED and n8n as side-by-side peers, installed by `npm run bench:peers` into bench/.peers/. Each runs in its
 * own process on 127.0.0.1 with a fresh user folder under bench/.tmp/, answering the same two jobs as our workflows:
 * "hook" (accept and answer at once) and "sync" (branch on body.status, answer 200 / 400).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { track } from './child';
import { BODY_JSON, QUERY_STRING, REQUEST_HEADERS } from './traffic';

// Plain JS shared with bench/peers/install.js (which runs without ts-node).
// eslint-disable-next-line @typescript-eslint/no-var-requires
const layout = require('../peers/layout') as {
  PEERS: Array<{ name: string; version: string; runtime: (dir: string) => string }>;
  peerDir: (peer: { name: string }) => string;
  isInstalled: (peer: { name: string }) => boolean;
};

export interface RunningPeer {
  name: string;
  version: string;
  node: string;
  baseUrl: string;
  hookPath: string;
  syncPath: string;
  stop(): Promise<void>;
}

export type PeerName = 'node-red' | 'n8n';

export function peerSpec(name: PeerName) {
  const peer = layout.PEERS.find((p) => p.name === name)!;
  return { ...peer, dir: layout.peerDir(peer), installed: layout.isInstalled(peer) };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function startProcess(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string }) {
  const log = fs.openSync(options.logFile, 'a');
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  return track(child);
}

async function stopProcess(child: ChildProcess, timeoutMs = 20_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) {
    return;
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

/** Polls with the benchmark's own request until the job answers as expected (peers open ports before flows run). */
async function waitUntilAnswering(child: ChildProcess, url: string, expected: number, timeoutMs: number, logFile: string) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`exited with ${child.exitCode} before answering; see ${logFile}`);
    }
    try {
      const response = await fetch(url, { method: 'POST', headers: REQUEST_HEADERS, body: BODY_JSON });
      await response.arrayBuffer();
      if (response.status === expected) {
        return;
      }
      last = `status ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(500);
  }
  throw new Error(`${url} did not answer ${expected} within ${timeoutMs} ms (last: ${last}); see ${logFile}`);
}

function versionOf(runtime: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(runtime, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', () => resolve(out.trim()));
  });
}

function nodeRedFlows() {
  const tab = 'benchtab';
  const respond = (id: string, statusCode: number) => ({ id, type: 'http response', z: tab, statusCode: String(statusCode), headers: {}, wires: [] });
  const setPayload = (id: string, to: string, tot: 'str' | 'json', next: string) => ({
    id,
    type: 'change',
    z: tab,
    rules: [{ t: 'set', p: 'payload', pt: 'msg', to, tot }],
    wires: [[next]],
  });
  return [
    { id: tab, type: 'tab', label: 'bench' },
    { id: 'hookIn', type: 'http in', z: tab, url: '/hook', method: 'post', upload: false, wires: [['hookOk']] },
    setPayload('hookOk', 'ok', 'str', 'hookRes'),
    respond('hookRes', 200),
    { id: 'syncIn', type: 'http in', z: tab, url: '/sync', method: 'post', upload: false, wires: [['syncSwitch']] },
    {
      id: 'syncSwitch',
      type: 'switch',
      z: tab,
      property: 'payload.status',
      propertyType: 'msg',
      rules: [{ t: 'eq', v: 'paid', vt: 'str' }, { t: 'else' }],
      checkall: 'false',
      outputs: 2,
      wires: [['syncPaid'], ['syncOther']],
    },
    setPayload('syncPaid', '{"received":true,"orderId":"A-1001"}', 'json', 'syncRes200'),
    respond('syncRes200', 200),
    setPayload('syncOther', '{"error":"payment"}', 'json', 'syncRes400'),
    respond('syncRes400', 400),
  ];
}

export async function startNodeRed(workDir: string, logFile: string): Promise<RunningPeer> {
  const spec = peerSpec('node-red');
  const runtime = spec.runtime(spec.dir);
  const userDir = path.join(workDir, 'node-red');
  fs.mkdirSync(userDir, { recursive: true });
  const port = await freePort();
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(nodeRedFlows(), null, 2));
  const settings = {
    uiHost: '127.0.0.1',
    uiPort: port,
    httpAdminRoot: false,
    flowFile: 'flows.json',
    credentialSecret: false,
    logging: { console: { level: 'warn', metrics: false, audit: false } },
    diagnostics: { enabled: false },
    telemetry: { enabled: false },
  };
  const settingsFile = path.join(userDir, 'settings.js');
  fs.writeFileSync(settingsFile, `module.exports = ${JSON.stringify(settings, null, 2)};\n`);
  const child = startProcess(
    runtime,
    [path.join(spec.dir, 'node_modules', 'node-red', 'red.js'), '--settings', settingsFile, '--userDir', userDir],
    { cwd: userDir, env: { ...process.env, NODE_ENV: 'production' }, logFile },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(child, `${baseUrl}/hook?${QUERY_STRING}`, 200, 60_000, logFile);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return {
    name: 'Node-RED',
    version: spec.version,
    node: await versionOf(runtime),
    baseUrl,
    hookPath: `/hook?${QUERY_STRING}`,
    syncPath: `/sync?${QUERY_STRING}`,
    stop: () => stopProcess(child),
  };
}

function n8nWorkflows() {
  const webhook = (id: string, pathName: string, responseMode: string) => ({
    id,
    name: 'Webhook',
    type: 'n8n-nodes-base.webhook',
    typeVersion: 2,
    position: [0, 0],
    webhookId: `${id}-hook`,
    parameters: { httpMethod: 'POST', path: pathName, responseMode, options: {} },
  });
  const respond = (id: string, name: string, responseCode: number, body: string) => ({
    id,
    name,
    type: 'n8n-nodes-base.respondToWebhook',
    typeVersion: 1.1,
    position: [400, responseCode === 200 ? 0 : 200],
    parameters: { respondWith: 'json', responseBody: body, options: { responseCode } },
  });
  const link = (node: string) => [{ node, type: 'main', index: 0 }];
  return [
    {
      id: 'BenchHookFlow0001',
      name: 'bench hook',
      active: false,
      settings: { executionOrder: 'v1' },
      nodes: [
        webhook('7d1f4c7e-0001-4e3a-9a51-000000000001', 'hook', 'onReceived'),
        {
          id: '7d1f4c7e-0001-4e3a-9a51-000000000002',
          name: 'No Operation',
          type: 'n8n-nodes-base.noOp',
          typeVersion: 1,
          position: [200, 0],
          parameters: {},
        },
      ],
      connections: { Webhook: { main: [link('No Operation')] } },
    },
    {
      id: 'BenchSyncFlow0001',
      name: 'bench sync',
      active: false,
      settings: { executionOrder: 'v1' },
      nodes: [
        webhook('7d1f4c7e-0002-4e3a-9a51-000000000001', 'sync', 'responseNode'),
        {
          id: '7d1f4c7e-0002-4e3a-9a51-000000000002',
          name: 'If',
          type: 'n8n-nodes-base.if',
          typeVersion: 2,
          position: [200, 0],
          parameters: {
            conditions: {
              options: { caseSensitive: true, leftValue: '', typeValidation: 'strict' },
              conditions: [
                {
                  id: '7d1f4c7e-0002-4e3a-9a51-000000000005',
                  leftValue: '={{ $json.body.status }}',
                  rightValue: 'paid',
                  operator: { type: 'string', operation: 'equals' },
                },
              ],
              combinator: 'and',
            },
            options: {},
          },
        },
        respond('7d1f4c7e-0002-4e3a-9a51-000000000003', 'Respond 200', 200, '{"received":true,"orderId":"A-1001"}'),
        respond('7d1f4c7e-0002-4e3a-9a51-000000000004', 'Respond 400', 400, '{"error":"payment"}'),
      ],
      connections: {
        Webhook: { main: [link('If')] },
        If: { main: [link('Respond 200'), link('Respond 400')] },
      },
    },
  ];
}

function runToEnd(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string }, timeoutMs: number) {
  return new Promise<void>((resolve, reject) => {
    const child = startProcess(command, args, options);
    const timer = setTimeout(() => {
      if (child.pid && child.exitCode === null) {
        process.kill(child.pid, 'SIGKILL');
      }
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve();
      } else {
        reject(new Error(`${args.slice(1).join(' ')} failed (${code ?? signal}); see ${options.logFile}`));
      }
    });
  });
}

async function waitForLogLine(child: ChildProcess, logFile: string, text: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`exited with ${child.exitCode} before "${text}"; see ${logFile}`);
    }
    if (fs.readFileSync(logFile, 'utf8').includes(text)) {
      return;
    }
    await sleep(500);
  }
  throw new Error(`no "${text}" within ${timeoutMs} ms; see ${logFile}`);
}

export async function startN8n(workDir: string, logFile: string): Promise<RunningPeer> {
  const spec = peerSpec('n8n');
  const userFolder = path.join(workDir, 'n8n');
  fs.mkdirSync(userFolder, { recursive: true });
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    N8N_USER_FOLDER: userFolder,
    N8N_PORT: String(port),
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_HOST: '127.0.0.1',
    EXECUTIONS_MODE: 'regular',
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_SECURE_COOKIE: 'false',
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
  };
  const cli = path.join(spec.dir, 'node_modules', 'n8n', 'bin', 'n8n');
  const options = { cwd: userFolder, env, logFile };
  const workflowsFile = path.join(userFolder, 'bench-workflows.json');
  fs.writeFileSync(workflowsFile, JSON.stringify(n8nWorkflows(), null, 2));
  await runToEnd(process.execPath, [cli, 'import:workflow', `--input=${workflowsFile}`], options, 180_000);
  for (const workflow of n8nWorkflows()) {
    await runToEnd(process.execPath, [cli, 'publish:workflow', `--id=${workflow.id}`], options, 120_000);
  }
  const child = startProcess(process.execPath, [cli, 'start'], options);
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForLogLine(child, logFile, 'Editor is now accessible', 180_000);
    await waitUntilAnswering(child, `${baseUrl}/webhook/hook?${QUERY_STRING}`, 200, 60_000, logFile);
    await waitUntilAnswering(child, `${baseUrl}/webhook/sync?${QUERY_STRING}`, 200, 60_000, logFile);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return {
    name: 'n8n',
    version: spec.version,
    node: process.version,
    baseUrl,
    hookPath: `/webhook/hook?${QUERY_STRING}`,
    syncPath: `/webhook/sync?${QUERY_STRING}`,
    stop: () => stopProcess(child),
  };
}
