// Builds what the page needs next to it and the one-file versions of it:
//
//   vendor/uPlot.esm.js, vendor/uPlot.min.css   copied from node_modules (the
//                                               page's modules import them)
//   dist/tcpviz.js             the page's modules bundled into one classic script:
//                              index.html falls back to it when opened from disk
//                              (Chromium runs no module scripts from file://)
//   dist/index.html            the whole page in one file: opens from disk
//   dist/report-template.html  the same with one placeholder element,
//       <script id="tcpviz-timeline" type="application/json">__TCPVIZ_TIMELINE__</script>
//     that `tcpviz analyze --html` replaces with the timeline JSON (written
//     with <, >, & and U+2028/9 as \u escapes, so it cannot end the element).
//
// Run: node build.mjs   (after npm ci)
//      TCPVIZ_PROFILE=1 node build.mjs   the bundle with its names kept (not
//      minified), for reading a CPU profile of the one-file page

import { readFile, writeFile, mkdir, copyFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const at = (...p) => path.join(here, ...p);

export const PLACEHOLDER = '__TCPVIZ_TIMELINE__';
export const PLACEHOLDER_ELEMENT = `<script id="tcpviz-timeline" type="application/json">${PLACEHOLDER}</script>`;

function between(html, name, replacement) {
  const open = `<!--tcpviz:${name}-->`;
  const close = `<!--/tcpviz:${name}-->`;
  const a = html.indexOf(open);
  const b = html.indexOf(close);
  if (a < 0 || b < a) throw new Error(`index.html: markers for ${name} not found`);
  return html.slice(0, a) + replacement + html.slice(b + close.length);
}

function mustNotContain(text, what, where) {
  if (text.toLowerCase().includes(what)) throw new Error(`${where} contains "${what}", which would break out of its element`);
}

// src/note-table.js from analyzer/notes.json, the one source of the note
// sentences (the analyzer's build reads the same file).
async function writeNoteTable() {
  const doc = JSON.parse(await readFile(at('..', 'analyzer', 'notes.json'), 'utf8'));
  const templates = { en: {}, zh: {} };
  for (const n of doc.notes) {
    templates.en[n.id] = n.en;
    templates.zh[n.id] = n.zh;
  }
  const js = '// Generated from analyzer/notes.json by web/build.mjs: edit that file, not this one.\n'
    + `export const SIDE_WORDS = ${JSON.stringify(doc.side_words, null, 2)};\n`
    + `export const NOTE_TEMPLATES = ${JSON.stringify(templates, null, 2)};\n`;
  await writeFile(at('src', 'note-table.js'), js);
}

// src/layer-names.js from analyzer/layer_names.json, the one source of the
// layer and field names (`tcpviz analyze --format layers` reads the same file).
async function writeLayerTable() {
  const doc = JSON.parse(await readFile(at('..', 'analyzer', 'layer_names.json'), 'utf8'));
  const names = {};
  for (const [n, lang] of [[1, 'en'], [2, 'zh']]) {
    names[lang] = {};
    for (const table of ['layers', 'fields', 'tcp_options', 'stream']) {
      names[lang][table] = Object.fromEntries(doc[table].map((row) => [row[0], row[n]]));
    }
  }
  const js = '// Generated from analyzer/layer_names.json by web/build.mjs: edit that file, not this one.\n'
    + `export const LAYER_NAMES = ${JSON.stringify(names, null, 2)};\n`;
  await writeFile(at('src', 'layer-names.js'), js);
}

async function main() {
  await writeNoteTable();
  await writeLayerTable();
  await mkdir(at('vendor'), { recursive: true });
  await mkdir(at('dist'), { recursive: true });
  await copyFile(at('node_modules/uplot/dist/uPlot.esm.js'), at('vendor/uPlot.esm.js'));
  await copyFile(at('node_modules/uplot/dist/uPlot.min.css'), at('vendor/uPlot.min.css'));

  const bundled = await build({
    entryPoints: [at('src/app.js')],
    bundle: true,
    format: 'iife',
    minify: process.env.TCPVIZ_PROFILE !== '1',
    target: 'es2022',
    write: false,
    legalComments: 'none',
  });
  const js = bundled.outputFiles[0].text;
  mustNotContain(js, '</script', 'the bundle');
  mustNotContain(js, '<!--', 'the bundle');
  if (js.includes(PLACEHOLDER)) throw new Error('the bundle contains the placeholder text');

  const css = `${await readFile(at('vendor/uPlot.min.css'), 'utf8')}\n${await readFile(at('style.css'), 'utf8')}`;
  mustNotContain(css, '</style', 'the CSS');

  const hash = createHash('sha256').update(js, 'utf8').digest('base64');
  const csp = `default-src 'none'; script-src 'sha256-${hash}'; style-src 'unsafe-inline'; img-src data: blob:; `
    + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

  let page = await readFile(at('index.html'), 'utf8');
  page = page.replace(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/, `<meta http-equiv="Content-Security-Policy" content="${csp}">`);
  if (!page.includes(hash)) throw new Error('index.html: Content-Security-Policy meta not found');
  page = between(page, 'styles', `<style>\n${css}\n</style>`);
  page = between(page, 'preload', '');
  page = page.replace(/<p id="no-modules"[\s\S]*?<\/p>\n/, '');

  const withScripts = (extra) => between(page, 'scripts', `${extra}<script>${js}</script>`);
  const standalone = withScripts('');
  const template = withScripts(`${PLACEHOLDER_ELEMENT}\n`);
  if (template.split(PLACEHOLDER).length !== 2) throw new Error('the template must hold the placeholder exactly once');

  await writeFile(at('dist/tcpviz.js'), js);
  await writeFile(at('dist/index.html'), standalone);
  await writeFile(at('dist/report-template.html'), template);
  console.log(`build: vendor/ (uPlot), dist/tcpviz.js, dist/index.html (${(standalone.length / 1024).toFixed(0)} KiB), dist/report-template.html`);
}

main().catch((err) => {
  console.error(`build: ${err.message}`);
  process.exit(1);
});
