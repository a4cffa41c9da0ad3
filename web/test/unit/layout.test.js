import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layout, laneTitles, defaultMode, laneX, createLayout } from '../../src/layout.js';
import { filterEvents } from '../../src/filter.js';
import { timeline } from '../helpers/timelines.mjs';

test('layout(handshake_data_fin): two lanes titled with the endpoints, one arrow per segment', () => {
  const tl = timeline('handshake_data_fin');
  const l = layout(tl, { width: 1200 });
  assert.equal(l.lanes.length, 2);
  assert.deepEqual(l.lanes.map((x) => x.side), ['client', 'server']);
  assert.equal(l.lanes[0].title, '127.0.0.1:50000');
  assert.equal(l.lanes[1].title, '127.0.0.1:6666');
  assert.ok(l.lanes[0].x < l.lanes[1].x);
  assert.equal(l.arrows.length, tl.events.length);
  assert.deepEqual(l.arrows.map((a) => a.frame), tl.events.map((e) => e.frame));
});

test('arrows go from the sender\'s lifeline to the receiver\'s, sloping down, each row below the last', () => {
  const tl = timeline('handshake_data_fin');
  const l = layout(tl, { width: 1200 });
  const [client, server] = l.lanes.map((x) => x.x);
  l.arrows.forEach((a, i) => {
    const e = tl.events[i];
    assert.equal(a.x1, e.dir === 'c2s' ? client : server);
    assert.equal(a.x2, e.dir === 'c2s' ? server : client);
    assert.ok(a.y2 > a.y1, 'sloped by time');
    if (i > 0) assert.ok(a.top > l.arrows[i - 1].top);
    assert.equal(a.head[0][0], a.x2, 'the head points at the receiver');
  });
});

test('labels carry flags, relative seq/ack, len and window; raw numbers on request', () => {
  const tl = timeline('handshake_data_fin');
  const rel = layout(tl, { width: 1200 }).arrows;
  assert.equal(rel[0].label, 'SYN seq=0 win=65495');
  assert.equal(rel[1].label, 'SYN,ACK seq=0 ack=1 win=65483');
  assert.equal(rel[3].label, 'PSH,ACK seq=1 ack=1 len=8 win=65536');
  assert.equal(rel[3].kind, 'data');
  assert.equal(rel[3].payload, '“hello 1\\n”');
  assert.equal(rel[4].payload, '', 'no payload preview on an ACK');
  const raw = layout(tl, { width: 1200, raw: true }).arrows;
  const e = tl.events[3];
  assert.equal(raw[3].label, `PSH,ACK seq=${e.seq_raw} ack=${e.ack_raw} len=8 win=${e.win_raw}`);
});

test('the handshake and the teardown are bracketed over their rows and named by kind', () => {
  const tl = timeline('handshake_data_fin');
  const { brackets } = layout(tl, { width: 1200 });
  const hs = brackets.find((b) => b.kind === 'handshake');
  const td = brackets.find((b) => b.kind === 'teardown');
  assert.deepEqual([hs.from, hs.to], [0, 2]);
  assert.equal(hs.detail, null);
  const teardownRows = tl.events.map((e, i) => (e.phase === 'teardown' ? i : -1)).filter((i) => i >= 0);
  assert.deepEqual([td.from, td.to], [teardownRows[0], teardownRows.at(-1)]);
  assert.equal(td.detail, 'fin');
  assert.ok(td.y2 > td.y1);
  for (const [name, detail] of [['refused', 'refused'], ['rst_linger', 'rst'], ['half_close', 'half_close'],
    ['simultaneous_close', 'simultaneous']]) {
    const b = layout(timeline(name), { width: 1200 }).brackets.find((x) => x.kind === 'teardown');
    assert.equal(b?.detail, detail, name);
  }
});

test('state changes are written on the lifeline of the side that changed, where it changed', () => {
  const tl = timeline('handshake_data_fin');
  const l = layout(tl, { width: 1200 });
  const [client, server] = l.lanes.map((x) => x.x);
  const syn = l.arrows[0].states;
  assert.deepEqual(syn.map((s) => [s.side, s.to]), [['client', 'SYN-SENT']]);
  assert.ok(syn[0].x < client && syn[0].anchor === 'end', 'left of the client lifeline');
  assert.equal(syn[0].dotY, l.arrows[0].y1, 'the sender changes state when it sends');
  const synAck = l.arrows[1].states;
  const srv = synAck.find((s) => s.side === 'server');
  const cli = synAck.find((s) => s.side === 'client');
  assert.equal(srv.to, 'SYN-RECEIVED');
  assert.ok(srv.x > server && srv.anchor === 'start');
  assert.equal(srv.dotY, l.arrows[1].y1);
  assert.equal(cli.to, 'ESTABLISHED');
  assert.equal(cli.dotY, l.arrows[1].y2, 'the receiver changes state when it arrives');
  const all = l.arrows.flatMap((a) => a.states.map((s) => s.to));
  for (const s of ['SYN-SENT', 'ESTABLISHED', 'FIN-WAIT-1', 'CLOSE-WAIT', 'FIN-WAIT-2', 'LAST-ACK', 'TIME-WAIT', 'CLOSED']) {
    assert.ok(all.includes(s), s);
  }
});

test('analysis tags colour the arrow by the most important one', () => {
  const l = layout(timeline('loss_retrans'), { width: 1200 });
  const fast = l.arrows.find((a) => a.tags.includes('fast_retransmission'));
  assert.equal(fast.tags[0], 'retransmission');
  assert.equal(fast.tagGroup, 'loss');
  const dup = l.arrows.find((a) => a.tags.length === 1 && a.tags[0] === 'duplicate_ack');
  assert.equal(dup.tagGroup, 'dup');
  assert.equal(l.arrows.find((a) => a.tags.length === 0).tagGroup, null);
});

test('filters decide the rows: the layout shows exactly the filtered events', () => {
  const tl = timeline('loss_retrans');
  const criteria = { flaggedOnly: true };
  const l = layout(tl, { width: 1200, criteria });
  const expected = [...filterEvents(tl.events, criteria)].map((i) => tl.events[i].frame);
  assert.deepEqual(l.arrows.map((a) => a.frame), expected);
});

test('a long idle gap is folded and marked in both modes', () => {
  const tl = timeline('keepalive');
  for (const mode of ['even', 'real']) {
    const l = layout(tl, { width: 1200, mode });
    assert.ok(l.folds.length >= 1, mode);
    for (const f of l.folds) assert.ok(f.gap > 0.4, `${mode}: folds mark real pauses`);
  }
});

test('real mode needs more height than even mode when the traffic has pauses', () => {
  const tl = timeline('zero_window');
  assert.ok(layout(tl, { width: 1200, mode: 'real' }).height > layout(tl, { width: 1200, mode: 'even' }).height);
});

test('even spacing is the default for loopback captures, real time otherwise', () => {
  assert.equal(defaultMode(timeline('handshake_data_fin')), 'even');
  assert.equal(defaultMode(timeline('ipv6')), 'even');
  const remote = { connections: [{ client: { ip: '192.0.2.1' }, server: { ip: '198.51.100.7' } }] };
  assert.equal(defaultMode(remote), 'real');
  // Before the connections arrive: judged by the pace of the first events.
  assert.equal(defaultMode({ events: [{ t: 0 }, { t: 0.00002 }, { t: 0.00004 }] }), 'even');
  assert.equal(defaultMode({ events: [{ t: 0 }, { t: 0.03 }, { t: 0.06 }] }), 'real');
});

test('lane titles: IPv6 in brackets; several connections with different clients are counted', () => {
  assert.deepEqual(laneTitles(timeline('ipv6').connections, null), { client: '[::1]:50000', server: '[::1]:6666' });
  const pr = timeline('port_reuse').connections;
  const titles = laneTitles(pr, null);
  assert.equal(titles.server, '127.0.0.1:6666');
  assert.equal(laneTitles(pr, pr[1].id).client.includes(':'), true);
});

test('the layout grows as rows are appended and finds the row of an event', () => {
  const tl = timeline('handshake_data_fin');
  const l = createLayout(tl, { width: 1000 });
  l.append([0, 2, 4]);
  l.append([6]);
  assert.equal(l.count, 4);
  assert.deepEqual([...l.rows], [0, 2, 4, 6]);
  assert.equal(l.rowOfEvent(4), 2);
  assert.equal(l.rowOfEvent(5), -1);
  assert.equal(l.arrow(3).frame, tl.events[6].frame);
});

test('lanes keep a usable span however narrow the drawing is', () => {
  const narrow = laneX(100);
  assert.equal(narrow.width, 640);
  assert.ok(narrow.serverX - narrow.clientX >= 200);
});

test('layout tolerates a timeline with no events or no connections', () => {
  const l = layout({ events: [] }, { width: 800 });
  assert.equal(l.arrows.length, 0);
  assert.deepEqual(l.brackets, []);
  assert.equal(layout({}, {}).arrows.length, 0);
});

test('bracket labels get the room up to their neighbours, and fitLabel picks the longest that fits', async () => {
  const { fitLabel, textWidth } = await import('../../src/layout.js');
  const l = layout(timeline('port_reuse'), { width: 1200 });
  assert.equal(l.brackets.length, 4);
  assert.deepEqual(l.brackets.map((b) => b.side), ['left', 'right', 'left', 'right'], 'handshakes left, teardowns right');
  assert.ok(l.brackets[0].x < l.lanes[0].x && l.brackets[1].x > l.lanes[1].x);
  for (let k = 1; k < l.brackets.length; k++) {
    const [a, b] = [l.brackets[k - 1], l.brackets[k]];
    assert.ok(a.y2 <= b.y1, 'brackets do not overlap');
    assert.ok(b.room >= b.y2 - b.y1);
  }
  assert.ok(textWidth('三次握手') > textWidth('abcd'), 'CJK characters are wider');
  assert.equal(fitLabel(['Three-way handshake #1', 'Three-way handshake', 'Handshake'], 1000), 'Three-way handshake #1');
  assert.equal(fitLabel(['Three-way handshake #1', 'Three-way handshake', 'Handshake'], 80), 'Handshake');
  const clipped = fitLabel(['Handshake'], 30);
  assert.ok(clipped.endsWith('…') && textWidth(clipped) <= 30);
});

test('real time: the handshake\'s 30 ms round trip is drawn as time, not folded; a long pause is folded with its length', () => {
  const events = [
    { frame: 1, t: 0, conn: 0, dir: 'c2s', flags: ['SYN'] },
    { frame: 2, t: 0.03, conn: 0, dir: 's2c', flags: ['SYN', 'ACK'], ack_rtt: 0.03 },
    { frame: 3, t: 0.0301, conn: 0, dir: 'c2s', flags: ['ACK'], ack_rtt: 0.0001 },
  ];
  for (let i = 0; i < 30; i++) events.push({ frame: 4 + i, t: 0.031 + i * 0.0005, conn: 0, dir: i % 2 ? 's2c' : 'c2s', flags: ['ACK'] });
  events.push({ frame: 40, t: 3, conn: 0, dir: 'c2s', flags: ['ACK'] });
  const l = layout({ events, connections: [] }, { width: 1200, mode: 'real' });
  assert.equal(l.folds.length, 1, 'only the 3 s pause');
  assert.equal(l.folds[0].row, events.length - 1);
  assert.ok(Math.abs(l.folds[0].gap - (3 - events.at(-2).t)) < 1e-9, 'the fold knows how long the pause was');
  assert.ok(l.y[1] - l.y[0] > 10 * 52, 'the round trip takes its real height');
});
