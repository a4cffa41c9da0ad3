// Looking up interface text: translate(lang, key, params) fills {name}
// placeholders. A missing key shows as the key itself, so a gap is visible
// (and the unit test that compares the tables catches it first).

import { STRINGS, LANGUAGES } from './strings.js';

export function placeholders(text) {
  return [...String(text).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

export function translate(lang, key, params = {}) {
  const table = STRINGS[lang] ?? STRINGS.en;
  const text = Object.hasOwn(table, key) ? table[key] : Object.hasOwn(STRINGS.en, key) ? STRINGS.en[key] : key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (Object.hasOwn(params, name) ? String(params[name]) : m));
}

/**
 * A count with its noun: `key.one` when n is 1 ("1 connection"), else `key`
 * ("2 connections"). Both tables have both keys; where a language has no
 * plural (Chinese) the two are the same. `t` is translate bound to a language.
 */
export function countText(t, key, n, format = String) {
  return t(n === 1 ? `${key}.one` : key, { n: format(n) });
}

/** The language to start in: a saved choice, else the browser's (zh-* → zh), else English. */
export function pickLanguage(saved, navigatorLanguages = []) {
  if (LANGUAGES.includes(saved)) return saved;
  for (const l of navigatorLanguages) {
    if (typeof l === 'string' && l.toLowerCase().startsWith('zh')) return 'zh';
    if (typeof l === 'string' && l.toLowerCase().startsWith('en')) return 'en';
  }
  return 'en';
}
