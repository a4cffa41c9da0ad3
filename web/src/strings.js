// Every piece of interface text, one table per language. Keys are the same in
// both tables (a unit test checks this, and that placeholders match).
// Placeholders are {name}; the TCP terms (SYN, ACK, seq, win ...) stay as they
// are in both languages, as in the course notes.

// The tables live in strings-en.js and strings-zh.js.

import en from './strings-en.js';
import zh from './strings-zh.js';

export const STRINGS = { en, zh };

export const LANGUAGES = Object.freeze(['en', 'zh']);
