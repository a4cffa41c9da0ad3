// Timelines for the tests, made by the real analyzer from the test captures.
// The tcpviz executable comes from $TCPVIZ, else --tcpviz=PATH on the command
// line, else build/tcpviz at the top of the repository; a missing one fails.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WEB_ROOT } from './server.mjs';

export const REPO_ROOT = path.resolve(WEB_ROOT, '..');
export const CAPTURES = path.join(REPO_ROOT, 'tests', 'captures');

export function tcpvizPath() {
  const arg = process.argv.find((a) => a.startsWith('--tcpviz='));
  const p = process.env.TCPVIZ || (arg ? arg.slice('--tcpviz='.length) : path.join(REPO_ROOT, 'build', 'tcpviz'));
  if (!existsSync(p)) throw new Error(`tcpviz executable not found at ${p}: build it, or set TCPVIZ=/path/to/tcpviz`);
  return p;
}

const cache = new Map();

// Each test file runs in its own process; timelines are kept on disk between
// them, under a name that changes whenever the capture or tcpviz does.
const DISK_CACHE = path.join(os.tmpdir(), 'tcpviz-web-timelines');
const stamp = (f) => { const st = statSync(f); return `${st.size}-${Math.round(st.mtimeMs)}`; };

/** The timeline JSON text of tests/captures/NAME.pcap (or .pcapng), made by tcpviz. */
export function timelineText(name) {
  if (cache.has(name)) return cache.get(name);
  const capture = [`${name}.pcap`, `${name}.pcapng`].map((f) => path.join(CAPTURES, f)).find(existsSync);
  if (!capture) throw new Error(`no capture ${name} in ${CAPTURES}`);
  const tcpviz = tcpvizPath();
  mkdirSync(DISK_CACHE, { recursive: true });
  const key = name.replaceAll('/', '_');  // crafted/x -> crafted_x: one flat folder
  const out = path.join(DISK_CACHE, `${key}-${stamp(capture)}-${stamp(tcpviz)}.json`);
  if (!existsSync(out)) {
    const part = `${out}.${process.pid}.part`;
    execFileSync(tcpviz, ['analyze', capture, '-o', part], { stdio: ['ignore', 'ignore', 'pipe'] });
    renameSync(part, out);
    // Older versions of the same timeline (another tcpviz build) go.
    for (const f of readdirSync(DISK_CACHE)) {
      if (f.startsWith(`${key}-`) && f.endsWith('.json') && path.join(DISK_CACHE, f) !== out) rmSync(path.join(DISK_CACHE, f), { force: true });
    }
  }
  const text = readFileSync(out, 'utf8');
  cache.set(name, text);
  return text;
}

export function timeline(name) {
  return JSON.parse(timelineText(name));
}
