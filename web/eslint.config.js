// ESLint for the page, its build script and its tests (`scripts/lint.sh`
// runs it with the C++ check; `scripts/lint.sh --fix` applies what it can).
// The recommended rules, with the globals each part really has: the page runs
// in a browser, build.mjs and the tests in Node (the browser tests also hand
// functions to the page, hence both there).
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['node_modules/', 'vendor/', 'dist/', 'test-results/', 'src/note-table.js'] },
  js.configs.recommended,
  {
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    // `const { index, ...rest } = e` is how the page drops fields from an
    // object: the named ones are unused on purpose.
    rules: { 'no-unused-vars': ['error', { ignoreRestSiblings: true }] },
  },
  {
    files: ['src/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['build.mjs', 'bench/**/*.{js,mjs}', 'test/**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['test/browser/**/*.{js,mjs}', 'test/helpers/**/*.{js,mjs}', 'test/big/**/*.{js,mjs}', 'test/live/**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
];
