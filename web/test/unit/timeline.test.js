import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTimelineParser, parseTimelineText, TimelineError, sniffCapture } from '../../src/timeline.js';
import { timelineText } from '../helpers/timelines.mjs';

function parseInChunks(text, size) {
  const out = { events: [], members: {}, batches: 0 };
  const p = createTimelineParser({
    onEvents(b) { out.batches++; out.events.push(...b); },
    onMember(k, v) { out.members[k] = v; },
  }, { batchSize: 5, firstBatchSize: 2 });
  for (let i = 0; i < text.length; i += size) p.write(text.slice(i, i + size));
  p.end();
  return out;
}

function code(fn) {
  try { fn(); } catch (e) { assert.ok(e instanceof TimelineError, `a TimelineError, not ${e}`); return e.code; }
  return 'no error';
}

const v1 = (body) => `{"format":"tcpviz-timeline","version":1,${body}}`;

test('parseTimelineText reads a real timeline exactly as JSON.parse does', () => {
  const text = timelineText('handshake_data_fin');
  const expected = JSON.parse(text);
  const got = parseTimelineText(text);
  assert.deepEqual(got.events, expected.events);
  assert.deepEqual(got.connections, expected.connections);
  assert.deepEqual(got.stats, expected.stats);
  assert.equal(got.version, 1);
});

test('the streaming parser gives the same events whatever the chunk size, in batches', () => {
  const text = timelineText('zero_window');
  const expected = JSON.parse(text);
  for (const size of [1, 3, 17, 256, 4096, text.length]) {
    const got = parseInChunks(text, size);
    assert.deepEqual(got.events, expected.events, `chunk size ${size}`);
    assert.deepEqual(got.members.connections, expected.connections, `chunk size ${size}`);
    assert.ok(got.batches >= Math.ceil((expected.events.length - 2) / 5) + 1, 'events are handed out in batches');
    if (size === text.length) assert.equal(got.batches, 1 + Math.ceil((expected.events.length - 2) / 5), 'a first small batch, then full ones');
  }
});

test('strings holding quotes, backslashes, brackets and escapes do not confuse the scanner', () => {
  const payloads = ['a"b', 'c\\', '\\"}]{[', '</script><script>alert(1)</script>', '\u2028x\u2029', '\\\\"'];
  const text = v1(`"events":[${payloads.map((p, i) => JSON.stringify({ frame: i + 1, payload: p })).join(',')}],"connections":[]`);
  for (const size of [1, 2, 5, 1000]) {
    assert.deepEqual(parseInChunks(text, size).events.map((e) => e.payload), payloads);
  }
});

test('events that come before "format" and "version" are held back until both are known', () => {
  const seen = [];
  const p = createTimelineParser({ onEvents: (b) => seen.push(...b) }, { batchSize: 1 });
  p.write('{"events":[{"frame":1},{"frame":2}],');
  assert.equal(seen.length, 0);
  p.write('"format":"tcpviz-timeline","version":1}');
  p.end();
  assert.deepEqual(seen.map((e) => e.frame), [1, 2]);
});

test('a wrong file gives a TimelineError whose code says what is wrong', () => {
  assert.equal(code(() => parseTimelineText('')), 'not_json');
  assert.equal(code(() => parseTimelineText('hello')), 'not_json');
  assert.equal(code(() => parseTimelineText('[1,2]')), 'not_timeline');
  assert.equal(code(() => parseTimelineText('{"a":1}')), 'not_timeline');
  assert.equal(code(() => parseTimelineText('{"format":"pcap","version":1,"events":[]}')), 'not_timeline');
  assert.equal(code(() => parseTimelineText('{"format":"tcpviz-timeline","version":2,"events":[]}')), 'bad_version');
  assert.equal(code(() => parseTimelineText('{"format":"tcpviz-timeline","events":[]}')), 'bad_version');
  assert.equal(code(() => parseTimelineText(v1('"events":{}'))), 'not_timeline');
  assert.equal(code(() => parseTimelineText(v1('"events":[1]'))), 'not_timeline');
  assert.equal(code(() => parseTimelineText(v1('"events":[{"frame":1},]'))), 'not_json');
  assert.equal(code(() => parseTimelineText(v1('"events":[{"frame":1}'))), 'not_json');
  assert.equal(code(() => parseTimelineText(`${v1('"events":[]')} trailing`)), 'not_json');
  assert.equal(code(() => parseTimelineText(v1('"events":[{"frame":01}]'))), 'not_json');
  assert.equal(code(() => parseTimelineText(v1('"events":[{"frame" 1}]'))), 'not_json');
  assert.equal(code(() => parseTimelineText(timelineText('refused').slice(0, 500))), 'not_json');
  assert.equal(code(() => parseTimelineText(v1('"events":[]'))), 'no error');
});

test('a "__proto__" member does not change the parsed object\'s prototype', () => {
  const t = parseTimelineText(v1('"events":[],"__proto__":{"polluted":true}'));
  assert.equal(Object.getPrototypeOf(t), Object.prototype);
  assert.equal(t.polluted, undefined);
  assert.equal({}.polluted, undefined);
});

test('sniffCapture recognises pcap and pcapng files by their first bytes', () => {
  assert.equal(sniffCapture(Uint8Array.from([0xd4, 0xc3, 0xb2, 0xa1, 2, 0])), 'pcap');
  assert.equal(sniffCapture(Uint8Array.from([0xa1, 0xb2, 0xc3, 0xd4])), 'pcap');
  assert.equal(sniffCapture(Uint8Array.from([0x0a, 0x0d, 0x0d, 0x0a])), 'pcapng');
  assert.equal(sniffCapture(new TextEncoder().encode('{"format"')), null);
  assert.equal(sniffCapture(Uint8Array.from([1])), null);
});

test('one event per line (the analyzer\'s way), pretty-printed, several per line and cut anywhere all parse the same', () => {
  const events = [
    { frame: 1, t: 0, payload: 'a}\\n{"frame": 9}' },
    { frame: 2, t: 0.5, payload: '},{' },
    { frame: 3, t: 1, options: { list: [{ kind: 1, len: 1 }] } },
  ];
  const head = '{"format":"tcpviz-timeline","version":1,\n"events":[\n';
  const texts = [
    `${head}${events.map((e) => JSON.stringify(e)).join(',\n')}\n],\n"connections":[]}\n`,
    JSON.stringify({ format: 'tcpviz-timeline', version: 1, events, connections: [] }, null, 2),
    `${head}${events.map((e) => JSON.stringify(e)).join(', ')}],"connections":[]}`,
    `${head}${JSON.stringify(events[0])},\n${JSON.stringify(events[1])}]\n,"connections":[]}`,
  ];
  for (const text of texts) {
    for (const step of [1, 7, 64, text.length]) {
      const got = [];
      const parser = createTimelineParser({ onEvents: (b) => got.push(...b) });
      for (let at = 0; at < text.length; at += step) parser.write(text.slice(at, at + step));
      parser.end();
      assert.deepEqual(got, text.includes('"frame": 3') || text.includes('"frame":3') ? events : events.slice(0, 2), `step ${step}`);
    }
  }
});
