import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NOTE_TEMPLATES, renderNote } from '../../src/notes.js';
import { REPO_ROOT, timeline } from '../helpers/timelines.mjs';

// The ids and both languages' sentences, as analyzer/src/note.cpp has them.
function cppNotes() {
  const src = readFileSync(path.join(REPO_ROOT, 'analyzer', 'src', 'note.cpp'), 'utf8');
  const unquote = (s) => JSON.parse(s);
  const sentences = [...src.matchAll(/\{\s*("(?:[^"\\]|\\.)*")\s*,\s*("(?:[^"\\]|\\.)*")\s*\}/g)]
    .map((m) => ({ en: unquote(m[1]), zh: unquote(m[2]) }));
  const idsBlock = src.slice(src.indexOf('ids = {'), src.indexOf('};', src.indexOf('ids = {')));
  const ids = [...idsBlock.matchAll(/"(\w+)"/g)].map((m) => m[1]);
  return { ids, sentences };
}

test('the note table mirrors analyzer/src/note.cpp in both languages', () => {
  const { ids, sentences } = cppNotes();
  assert.ok(ids.length >= 20, 'note ids found in note.cpp');
  assert.equal(sentences.length, ids.length, 'one sentence pair per id in note.cpp');
  assert.deepEqual(Object.keys(NOTE_TEMPLATES.en).sort(), [...ids].sort());
  assert.deepEqual(Object.keys(NOTE_TEMPLATES.zh).sort(), [...ids].sort());
  ids.forEach((id, i) => {
    assert.equal(NOTE_TEMPLATES.en[id], sentences[i].en, `en ${id}`);
    assert.equal(NOTE_TEMPLATES.zh[id], sentences[i].zh, `zh ${id}`);
  });
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
