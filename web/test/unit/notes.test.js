import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NOTE_TEMPLATES, renderNote } from '../../src/notes.js';
import { REPO_ROOT, timeline } from '../helpers/timelines.mjs';

const NOTES_JSON = path.join(REPO_ROOT, 'analyzer', 'notes.json');

test('the note table is analyzer/notes.json, in both languages', () => {
  const doc = JSON.parse(readFileSync(NOTES_JSON, 'utf8'));
  assert.ok(doc.notes.length >= 20);
  assert.deepEqual(Object.keys(NOTE_TEMPLATES.en), doc.notes.map((n) => n.id));
  for (const n of doc.notes) {
    assert.equal(NOTE_TEMPLATES.en[n.id], n.en, `en ${n.id}`);
    assert.equal(NOTE_TEMPLATES.zh[n.id], n.zh, `zh ${n.id}`);
  }
});

test('each note sentence is written in one source file only: analyzer/notes.json', () => {
  const doc = JSON.parse(readFileSync(NOTES_JSON, 'utf8'));
  const sources = ['analyzer/src/note.cpp', 'analyzer/include/tcpviz/note.h', 'web/src/notes.js', 'web/src/strings.js']
    .map((f) => [f, readFileSync(path.join(REPO_ROOT, f), 'utf8')]);
  for (const n of doc.notes) {
    for (const [file, text] of sources) {
      assert.ok(!text.includes(n.en) && !text.includes(n.zh), `${n.id} is also written in ${file}`);
    }
  }
});

test('renderNote(event, "en") gives the sentence the analyzer wrote, for every event of the test captures', () => {
  let checked = 0;
  for (const name of ['handshake_data_fin', 'loss_retrans', 'zero_window', 'refused', 'rst_linger', 'half_close',
    'simultaneous_close', 'syn_retransmit', 'keepalive', 'port_reuse']) {
    for (const e of timeline(name).events) {
      assert.equal(renderNote(e, 'en'), e.note, `${name} frame ${e.frame}`);
      checked++;
    }
  }
  assert.ok(checked > 1000);
});

test('renderNote(event, "zh") fills every placeholder with the numbers and the Chinese side names', () => {
  const e = { note_id: 'syn_ack', note_args: [772255888, 2845986134, 0], dir: 's2c' };
  assert.equal(renderNote(e, 'zh'), 'SYN-ACK：服务器同意连接；确认号 2845986134 等于客户端的 ISN + 1，它自己的 ISN 是 772255888。');
  for (const ev of timeline('zero_window').events) {
    const zh = renderNote(ev, 'zh');
    assert.doesNotMatch(zh, /\{\w+\}/, `frame ${ev.frame}`);
    assert.match(zh, /[\u4e00-\u9fff]/, `frame ${ev.frame} is Chinese`);
  }
});

test('renderNote falls back to the English note for an id it does not know, and to "" for nothing', () => {
  assert.equal(renderNote({ note_id: 'from_the_future', note: 'A newer sentence.' }, 'zh'), 'A newer sentence.');
  assert.equal(renderNote({ note_id: 'toString', note: 'x' }, 'en'), 'x');
  assert.equal(renderNote({}, 'en'), '');
  assert.equal(renderNote(null, 'en'), '');
});
