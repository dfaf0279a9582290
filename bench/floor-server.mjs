// The floors the fleet is measured against, in the same run: what express and bare node:http can
// do on this machine with a trivial route. Plain JS run by plain node, nothing else loaded.
// Usage: node bench/floor-server.mjs express|http  → prints {"event":"ready","url":…} on stdout.
import http from 'node:http';

const kind = process.argv[2];
let server;
if (kind === 'express') {
  const { default: express } = await import('express');
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.post('/hello', (_req, res) => res.json({ hello: 'world' }));
  server = http.createServer(app);
} else if (kind === 'http') {
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"hello":"world"}');
    });
  });
} else {
  console.error('usage: floor-server.mjs express|http');
  process.exit(2);
}
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ event: 'ready', url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
