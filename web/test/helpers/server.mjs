// A tiny static file server on 127.0.0.1 and an ephemeral port, for the
// browser tests and the benchmark: serves web/ and any extra in-memory files.

import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * Starts the server. `extra` maps URL paths to { body, type } served from
 * memory (timelines made by the tests) or { file, type } streamed from disk
 * (timelines too big for memory). handle(req, res), when given, answers
 * first (true when it did): the API of tcpviz serve in api.mjs.
 * Resolves to { url, close, requests }.
 */
export function serve(extra = new Map(), { handle } = {}) {
  const requests = [];
  // Encode once: converting a 100 MB string on every request would delay
  // the response by seconds and make the benchmark measure the server.
  const files = new Map([...extra].map(([k, v]) => [k, v.file ? v : { ...v, body: Buffer.isBuffer(v.body) ? v.body : Buffer.from(v.body) }]));
  const server = http.createServer(async (req, res) => {
    requests.push(req.url);
    if (handle && await handle(req, res)) return;
    const urlPath = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    if (files.has(urlPath) && files.get(urlPath).file) {
      const { file, type } = files.get(urlPath);
      res.writeHead(200, { 'content-type': type ?? 'application/json', 'content-length': (await stat(file)).size });
      createReadStream(file, { highWaterMark: 1 << 20 }).pipe(res);
      return;
    }
    if (files.has(urlPath)) {
      const { body, type } = files.get(urlPath);
      res.writeHead(200, { 'content-type': type ?? 'application/json', 'content-length': body.length });
      res.end(body);
      return;
    }
    const file = path.join(WEB_ROOT, path.normalize(urlPath === '/' ? '/index.html' : urlPath));
    if (!file.startsWith(WEB_ROOT + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
      });
    });
  });
}
