// Chat clients for live.test.js, run in the students' namespace:
//   node chatters.mjs HOST PORT
// Commands come on stdin, one JSON object a line, each answered on stdout with
// {"done": id} (or {"done": id, "error": "..."}):
//   {"id", "op": "connect", "n"}            n more clients join (each sends /nick)
//   {"id", "op": "send", "k", "text"}       client k writes one line
//   {"id", "op": "burst", "k", "lines"}     client k writes `lines` short lines, one write each
//   {"id", "op": "close", "keep"}           all clients but the first `keep` leave
// Every client reads and drops what the room sends, so the server never
// waits for it.

import net from 'node:net';
import readline from 'node:readline';

const [host, portText] = process.argv.slice(2);
const port = Number(portText);
const clients = [];

function connectOne(name) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, noDelay: true }, () => {
      socket.write(`/nick ${name}\n`);
      resolve(socket);
    });
    socket.on('error', reject);
    socket.on('data', () => {});
  });
}

async function burst(socket, lines) {
  for (let i = 0; i < lines; i++) {
    // One write a line: with Nagle off, most become segments of their own.
    if (!socket.write(`burst ${String(i).padStart(6, '0')}\n`)) await new Promise((r) => socket.once('drain', r));
  }
}

const ops = {
  async connect({ n }) {
    for (let i = 0; i < n; i++) clients.push(await connectOne(`s${clients.length}`));
  },
  async send({ k, text }) {
    clients[k].write(`${text}\n`);
  },
  async burst({ k, lines }) {
    await burst(clients[k], lines);
  },
  async close({ keep }) {
    for (const socket of clients.splice(keep)) socket.destroy();
  },
};

const input = readline.createInterface({ input: process.stdin });
input.on('line', async (line) => {
  const command = JSON.parse(line);
  try {
    await ops[command.op](command);
    process.stdout.write(`${JSON.stringify({ done: command.id })}\n`);
  } catch (err) {
    process.stdout.write(`${JSON.stringify({ done: command.id, error: String(err.message) })}\n`);
  }
});
input.on('close', () => {
  for (const socket of clients) socket.destroy();
  process.exit(0);
});
