// The live page against the real `tcpviz serve --live`, in network namespaces
// of its own (root): a "classroom" namespace holds the chat server, the
// capture and Chromium; a "students" namespace holds the chat clients, joined
// to it by a veth pair with addresses from 198.18.0.0/15. The capture runs on
// the classroom end of the veth, as it would on a teacher's network card.
//
//   sudo TCPVIZ=build/tcpviz node test/live/run.mjs      (node build.mjs first)
//
// This script only makes and removes the namespaces (on exit, Ctrl-C, failure)
// and runs live.test.js inside the classroom one; that test prints the figures.

import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

if (process.getuid?.() !== 0) {
  console.error('web_live: FAIL: needs root (network namespaces and a live capture)');
  process.exit(1);
}
try {
  execFileSync('ip', ['-V'], { stdio: 'ignore' });
} catch {
  console.error('web_live: FAIL: needs iproute2 (ip)');
  process.exit(1);
}

const tag = `${process.pid % 100000}`;
const NS_CLASS = `serve-${tag}k`;    // the classroom: chat server, tcpviz serve, the page
const NS_STUDENTS = `serve-${tag}s`;
const VETH_CLASS = `serve-${tag}a`;  // interface names: at most 15 characters
const VETH_STUDENTS = `serve-${tag}b`;
const NET = `198.18.${1 + Math.floor(Math.random() * 250)}`;

const ip = (...args) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
const quiet = (...args) => { try { ip(...args); } catch { /* already gone */ } };

let cleaned = false;
function cleanup() {
  if (cleaned) return;
  cleaned = true;
  for (const ns of [NS_CLASS, NS_STUDENTS]) {
    let pids = '';
    try { pids = execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }); } catch { /* none */ }
    for (const pid of pids.split(/\s+/).filter(Boolean)) {
      try { process.kill(Number(pid), 'SIGKILL'); } catch { /* gone */ }
    }
    quiet('netns', 'del', ns);
  }
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => { cleanup(); process.exit(1); });

try {
  ip('netns', 'add', NS_CLASS);
  ip('netns', 'add', NS_STUDENTS);
  ip('link', 'add', VETH_CLASS, 'netns', NS_CLASS, 'type', 'veth', 'peer', 'name', VETH_STUDENTS, 'netns', NS_STUDENTS);
  ip('-n', NS_CLASS, 'addr', 'add', `${NET}.1/30`, 'dev', VETH_CLASS);
  ip('-n', NS_STUDENTS, 'addr', 'add', `${NET}.2/30`, 'dev', VETH_STUDENTS);
  for (const [ns, dev] of [[NS_CLASS, VETH_CLASS], [NS_STUDENTS, VETH_STUDENTS]]) {
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    ip('-n', ns, 'link', 'set', dev, 'up');
  }
} catch (err) {
  console.error(`web_live: FAIL: cannot make the namespaces: ${err.stderr?.toString().trim() || err.message}`);
  cleanup();
  process.exit(1);
}

const env = {
  ...process.env,
  LIVE_NS_STUDENTS: NS_STUDENTS,
  LIVE_IFACE: VETH_CLASS,
  LIVE_SERVER_ADDR: `${NET}.1`,
};
const child = spawn('ip', ['netns', 'exec', NS_CLASS, process.execPath, '--test', '--test-reporter=spec',
  path.join(here, 'live.test.js')], { env, stdio: 'inherit' });
const timer = setTimeout(() => { console.error('web_live: FAIL: timed out'); child.kill('SIGKILL'); }, 600_000);
child.on('exit', (code, signal) => {
  clearTimeout(timer);
  cleanup();
  process.exit(code ?? (signal ? 1 : 0));
});
