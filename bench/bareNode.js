// The floor of any Node HTTP endpoint: read the body, JSON.parse it, answer `ok`. Run as a child of bench/run.ts;
// sends its port over IPC.
const http = require('node:http');

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad json');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
});

server.listen(0, '127.0.0.1', () => {
  process.send({ type: 'ready', port: server.address().port, node: process.version });
});
process.on('disconnect', () => process.exit(0));
