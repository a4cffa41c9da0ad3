// Timelines for the tests, made by the real analyzer from the test captures.
// The tcpviz executable comes from $TCPVIZ, else --tcpviz=PATH on the command
// line, else build/tcpviz at the top of the repository; a missing one fails.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
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

let tmp = null;
const cache = new Map();

/** The timeline JSON text of tests/captures/NAME.pcap (or .pcapng). */
export function timelineText(name) {
  if (cache.has(name)) return cache.get(name);
  tmp ??= mkdtempSync(path.join(os.tmpdir(), 'tcpviz-web-'));
  const capture = [`${name}.pcap`, `${name}.pcapng`].map((f) => path.join(CAPTURES, f)).find(existsSync);
  if (!capture) throw new Error(`no capture ${name} in ${CAPTURES}`);
  const out = path.join(tmp, `${name}.json`);
  execFileSync(tcpvizPath(), ['analyze', capture, '-o', out], { stdio: ['ignore', 'ignore', 'pipe'] });
  const text = readFileSync(out, 'utf8');
  cache.set(name, text);
  return text;
}

export function timeline(name) {
  return JSON.parse(timelineText(name));
}
