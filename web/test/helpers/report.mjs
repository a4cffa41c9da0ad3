// Making a self-contained report the way the C++ side will: take
// dist/report-template.html and put the timeline JSON in place of the
// placeholder, escaped as the analyzer's JSON writer escapes strings
// (JSON escapes, plus <, >, & and U+2028/U+2029 as \u escapes), so that no
// payload can end the script element.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { WEB_ROOT } from './server.mjs';

export const PLACEHOLDER = '__TCPVIZ_TIMELINE__';

/** JSON text of `value`, escaped like analyzer/src/json_text.cpp. */
export function writerJson(value) {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function reportTemplate() {
  return readFileSync(path.join(WEB_ROOT, 'dist', 'report-template.html'), 'utf8');
}

/** The report HTML for a timeline object. */
export function makeReport(timeline) {
  const template = reportTemplate();
  const parts = template.split(PLACEHOLDER);
  if (parts.length !== 2) throw new Error(`the template holds the placeholder ${parts.length - 1} times, not once`);
  return parts[0] + writerJson(timeline) + parts[1];
}
