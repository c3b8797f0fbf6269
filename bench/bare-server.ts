// The baseline of the check benchmark: bare node:http answering a fixed JSON
// body as large as an average check answer, with nothing behind it; with
// BODY_TYPE=text, a text/plain body as large as an average range answer.
//
//   PORT=3001 BODY_BYTES=650 node bin/run-ts.js bench/bare-server.ts
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 3001);
const size = Number(process.env.BODY_BYTES ?? 600);
// {"pad":"…"} is 10 characters around the padding.
const text = process.env.BODY_TYPE === 'text';
const body = text
  ? Buffer.from('x'.repeat(size))
  : Buffer.from(JSON.stringify({ pad: 'x'.repeat(Math.max(0, size - 10)) }));
const headers = {
  'content-type': text ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
  'content-length': String(body.length),
};

const server = createServer((request, response) => {
  if (request.method === 'POST') {
    // The reference for uploads: read the whole body, then answer like a submission.
    request.resume();
    request.once('end', () => {
      response.writeHead(201, headers);
      response.end(body);
    });
    return;
  }
  response.writeHead(200, headers);
  response.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => console.log(`bare server on ${port}, ${body.length} bytes`));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
