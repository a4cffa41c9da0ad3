// The sentence behind each segment, in English and Chinese, keyed by the
// timeline's `note_id`. The sentences come from analyzer/notes.json (the one
// source the analyzer uses too; web/build.mjs writes note-table.js from it):
// {a} {b} {c} are the note's numbers, {side} is who sent the segment and
// {peer} the other end.
import { NOTE_TEMPLATES, SIDE_WORDS } from './note-table.js';

export { NOTE_TEMPLATES };

/**
 * The note of one event in `lang`, built from its note_id and note_args.
 * Falls back to the English sentence the timeline carries when the id is not
 * one this page knows (a newer analyzer), and to "" when there is neither.
 */
export function renderNote(event, lang) {
  const table = NOTE_TEMPLATES[lang] ?? NOTE_TEMPLATES.en;
  const template = event && typeof event.note_id === 'string' && Object.hasOwn(table, event.note_id)
    ? table[event.note_id] : null;
  if (template === null) return event && typeof event.note === 'string' ? event.note : '';
  const words = SIDE_WORDS[lang] ?? SIDE_WORDS.en;
  const side = event.dir === 's2c' ? 'server' : 'client';
  const peer = side === 'client' ? 'server' : 'client';
  const args = Array.isArray(event.note_args) ? event.note_args : [];
  const values = {
    a: args[0] ?? '', b: args[1] ?? '', c: args[2] ?? '',
    side: words[side], peer: words[peer],
  };
  return template.replace(/\{(a|b|c|side|peer)\}/g, (_, name) => String(values[name]));
}
