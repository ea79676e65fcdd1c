/** Counts what the app children logged: error lines and SQLITE_BUSY lines, per log file. */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

export async function countAppLogLines(logDir: string) {
  const counts: Record<string, { megabytes: number; errorLines: number; sqliteBusyLines: number }> = {};
  for (const name of fs.readdirSync(logDir).filter((file) => file.startsWith('app') && file.endsWith('.log')).sort()) {
    const file = path.join(logDir, name);
    let errorLines = 0;
    let sqliteBusyLines = 0;
    const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.includes('"level":"error"') || line.includes('[error]')) {
        errorLines++;
        if (line.includes('SQLITE_BUSY')) {
          sqliteBusyLines++;
        }
      }
    }
    counts[name.replace(/\.log$/, '')] = { megabytes: Number((fs.statSync(file).size / 1024 ** 2).toFixed(1)), errorLines, sqliteBusyLines };
  }
  return counts;
}
