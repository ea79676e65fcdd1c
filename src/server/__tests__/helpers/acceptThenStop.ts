/**
 * Child process for the durability test: boots an app on the SQLite file named by DB_STORAGE (in the journal mode
 * SQLITE_JOURNAL_MODE names, if any), accepts async webhook deliveries over real HTTP, reports what it accepted, then
 * dies (SIGKILL) or stops gracefully, per STOP_MODE.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import './environment';
import { addNode, createWebhookApp, createWebhookWorkflow, setSqliteJournalMode } from './app';

async function main() {
  const deliveries = Number(process.env.DELIVERIES ?? 20);
  const app = await createWebhookApp();
  const journalMode = process.env.SQLITE_JOURNAL_MODE
    ? await setSqliteJournalMode(app, process.env.SQLITE_JOURNAL_MODE)
    : undefined;
  const workflow = await createWebhookWorkflow(app);
  await addNode(workflow, { type: 'test-sleep', config: { ms: 20 } });

  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const statuses = await Promise.all(
    Array.from({ length: deliveries }, (_, i) =>
      fetch(`http://127.0.0.1:${port}/api/webhook:trigger/${workflow.key}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ delivery: i }),
      }).then((res) => res.status),
    ),
  );
  const accepted = statuses.filter((status) => status === 200).length;
  process.stdout.write(`${JSON.stringify({ key: workflow.key, accepted, journalMode })}\n`);

  if (process.env.STOP_MODE === 'graceful') {
    server.close();
    await app.stop();
    process.exit(0);
  }
  process.kill(process.pid, 'SIGKILL');
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
