/**
 * The floor for any request: a bare `node:http` server that drains the request body and answers a
 * small JSON body, in a process of its own like the service. Listens on `PORT` and prints
 * `listening` when ready.
 */
import { createServer } from 'node:http';

const body = '{"status":"ok"}';
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('listening\n'));
