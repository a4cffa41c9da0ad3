// A timeline of any size for the scale tests and the benchmark, without a
// capture: the connection of tests/captures/loss_retrans (analyzed by the
// tcpviz built here) repeated with shifted frames, times, connection ids and
// client ports, written the way the analyzer writes (one event per line,
// < > & escaped). A million segments are ~700 MB, more than one JavaScript
// string may hold, so the file is written piece by piece and kept on disk
// between runs (next to the other test timelines).

import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { timeline, tcpvizPath } from './timelines.mjs';
import { writerJson } from './report.mjs';

/** Calls write(text) with the timeline of `n` segments made from `base`, in pieces. */
export function synthesizeInto(base, n, write) {
  const [conn0] = base.connections;
  const span = base.events.at(-1).t + 0.25;
  const frames = base.events.at(-1).frame;
  const head = { format: 'tcpviz-timeline', version: 1, source: { ...base.source, file: `synthetic-${n}.pcap` } };
  write(`${writerJson(head).slice(0, -1)},\n"events":[\n`);
  let made = 0;
  let reps = 0;
  let piece = [];
  for (let rep = 0; made < n; rep++, reps++) {
    for (const e of base.events) {
      if (made >= n) break;
      piece.push(`${made ? ',\n' : ''}${writerJson({ ...e, frame: e.frame + rep * frames, t: +(e.t + rep * span).toFixed(6), conn: rep })}`);
      made++;
    }
    if (piece.length >= 20000 || made >= n) { write(piece.join('')); piece = []; }
  }
  write('\n],\n"connections":[\n');
  for (let rep = 0; rep < reps; rep++) {
    write(`${rep ? ',\n' : ''}${writerJson({
      ...conn0,
      id: rep,
      client: { ...conn0.client, port: 20000 + (rep % 40000) },
      first_frame: conn0.first_frame + rep * frames,
      last_frame: conn0.last_frame + rep * frames,
      start: conn0.start + rep * span,
      end: conn0.end + rep * span,
    })}`);
  }
  const stats = { ...base.stats, frames: n, tcp_segments: n, connections: reps };
  write(`\n],\n"stats":${writerJson(stats)}}\n`);
  return { segments: n, connections: reps, lastFrame: base.events[(n - 1) % base.events.length].frame + (reps - 1) * frames };
}

/** The timeline of `n` segments as one string (sizes a string can hold). */
export function synthesize(base, n) {
  const parts = [];
  synthesizeInto(base, n, (s) => parts.push(s));
  return parts.join('');
}

/** A file holding the `n`-segment timeline: { file, segments, lastFrame, bytes }. */
export function bigTimelineFile(n) {
  const dir = path.join(os.tmpdir(), 'tcpviz-web-timelines');
  mkdirSync(dir, { recursive: true });
  const st = statSync(tcpvizPath());
  const file = path.join(dir, `synthetic-${n}-${st.size}-${Math.round(st.mtimeMs)}.json`);
  const base = timeline('loss_retrans');
  let info;
  if (existsSync(file)) {
    info = synthesizeInto(base, n, () => {}); // the numbers only
  } else {
    const part = `${file}.${process.pid}.part`;
    const fd = openSync(part, 'w');
    try {
      info = synthesizeInto(base, n, (s) => writeSync(fd, s));
    } finally {
      closeSync(fd);
    }
    renameSync(part, file);
  }
  return { file, ...info, bytes: statSync(file).size };
}
