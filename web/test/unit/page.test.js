import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { WEB_ROOT } from '../helpers/server.mjs';

const src = (f) => readFileSync(path.join(WEB_ROOT, 'src', f), 'utf8');

// The modules app.js reaches through static imports (dynamic import() is lazy on purpose).
function staticGraph(entry) {
  const seen = new Set();
  const visit = (f) => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const m of src(f).matchAll(/^import\s[^;]*?from\s+'\.\/([\w-]+\.js)';/gm)) visit(m[1]);
  };
  visit(entry);
  return seen;
}

test('index.html preloads exactly the modules app.js imports statically', () => {
  const html = readFileSync(path.join(WEB_ROOT, 'index.html'), 'utf8');
  const preloaded = new Set([...html.matchAll(/<link rel="modulepreload" href="src\/([\w-]+\.js)">/g)].map((m) => m[1]));
  assert.deepEqual([...preloaded].sort(), [...staticGraph('app.js')].sort());
  assert.ok(!preloaded.has('charts.js'), 'the charts load on first use');
});

test('modules import each other with explicit ./name.js paths and exist', () => {
  const files = new Set(readdirSync(path.join(WEB_ROOT, 'src')));
  for (const f of files) {
    if (!f.endsWith('.js')) continue;
    for (const m of src(f).matchAll(/(?:^import\s[^;]*?\sfrom\s+|\bimport\()'([^']+)'/gm)) {
      assert.match(m[1], /^\.{1,2}\/[\w./-]+\.js$/, `${f} imports ${m[1]}`);
      if (m[1].startsWith('./')) assert.ok(files.has(m[1].slice(2)), `${f}: ${m[1]} exists`);
    }
  }
});

test('no module writes markup from strings: no innerHTML, outerHTML, insertAdjacentHTML or document.write', () => {
  for (const f of readdirSync(path.join(WEB_ROOT, 'src'))) {
    assert.doesNotMatch(src(f), /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/, f);
  }
});
