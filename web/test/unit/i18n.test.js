import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STRINGS, LANGUAGES } from '../../src/strings.js';
import { translate, placeholders, pickLanguage, countText } from '../../src/i18n.js';
import { TAG_ORDER } from '../../src/tags.js';

test('every interface string exists in every language, non-empty, with the same placeholders', () => {
  const keys = Object.keys(STRINGS.en).sort();
  assert.ok(keys.length > 100);
  for (const lang of LANGUAGES) {
    assert.deepEqual(Object.keys(STRINGS[lang]).sort(), keys, `${lang} has exactly the English keys`);
    for (const k of keys) {
      assert.ok(STRINGS[lang][k].trim().length > 0, `${lang} ${k} is empty`);
      assert.deepEqual(placeholders(STRINGS[lang][k]), placeholders(STRINGS.en[k]), `${lang} ${k} placeholders`);
    }
  }
});

test('the Chinese table is Chinese where the English one is prose', () => {
  for (const k of ['app.title', 'open.hint', 'error.not_json', 'bracket.handshake', 'details.empty', 'filter.all']) {
    assert.match(STRINGS.zh[k], /[\u4e00-\u9fff]/, k);
  }
});

test('there is a label for every analysis tag, teardown kind, phase and bracket the page can draw', () => {
  const needed = [
    ...TAG_ORDER.map((n) => `tag.${n}`),
    ...['none', 'fin', 'half_close', 'simultaneous', 'rst', 'refused'].map((k) => `teardown.${k}`),
    ...['fin', 'half_close', 'simultaneous', 'rst', 'refused'].map((k) => `bracket.teardown.${k}`),
    ...['fin', 'half_close', 'simultaneous', 'rst', 'refused'].map((k) => `bracket.short.teardown.${k}`),
    'bracket.short.handshake',
    'bracket.handshake', 'bracket.handshake.incomplete', 'bracket.handshake.not_captured',
    ...['handshake', 'data', 'teardown'].map((p) => `phase.${p}`),
    ...['not_json', 'not_timeline', 'bad_version', 'fetch', 'capture_file'].map((c) => `error.${c}`),
  ];
  for (const k of needed) assert.ok(Object.hasOwn(STRINGS.en, k), k);
});

test('translate fills placeholders, keeps unknown ones, and shows a missing key as itself', () => {
  assert.equal(translate('en', 'view.count', { shown: 3, total: 17 }), '3 of 17 segments shown');
  assert.equal(translate('zh', 'view.count', { shown: 3, total: 17 }), '显示 3 / 17 个报文段');
  assert.equal(translate('en', 'view.count', { shown: 3 }), '3 of {total} segments shown');
  assert.equal(translate('en', 'no.such.key'), 'no.such.key');
  assert.equal(translate('fr', 'filter.all'), 'All connections');
});

test('pickLanguage prefers the saved choice, then a Chinese or English browser, then English', () => {
  assert.equal(pickLanguage('zh', ['en-US']), 'zh');
  assert.equal(pickLanguage(null, ['zh-CN', 'en']), 'zh');
  assert.equal(pickLanguage('xx', ['de-DE', 'en-GB']), 'en');
  assert.equal(pickLanguage(undefined, []), 'en');
});

test('countText says "1 connection" and "2 connections" in English, and counts in Chinese without a plural', () => {
  const en = (key, p) => translate('en', key, p);
  const zh = (key, p) => translate('zh', key, p);
  assert.equal(countText(en, 'count.connections', 1), '1 connection');
  assert.equal(countText(en, 'count.connections', 2), '2 connections');
  assert.equal(countText(en, 'count.segments', 1234, (n) => n.toLocaleString('en')), '1,234 segments');
  assert.equal(countText(zh, 'count.connections', 1), '1 个连接');
  for (const k of Object.keys(STRINGS.en).filter((x) => x.endsWith('.one'))) {
    assert.ok(Object.hasOwn(STRINGS.en, k.slice(0, -4)), `${k} has its plural form`);
  }
});
