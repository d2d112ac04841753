import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

// Which way imports may point (issue 18). Relative specifiers only, matched by regular expression
// so one pattern works at any folder depth: `(\.\./)+panels/` is "up, then into src/panels".
// Lower layers never reach up into the UI; the UI's own layers point one way: shell → registry →
// panels → panels/shared → everything below. Dynamic `import()` is held to the same rules through
// `no-restricted-syntax` (no-restricted-imports does not see it). Import cycles are caught by
// scripts/importGraph.test.ts.
const up = (folders) => `^(\\.\\./)+(${folders})(/|$)`;
const UI_LAYERS = 'panels|shell|lesson';
function layerRule(files, message, patterns, ignores = []) {
  const regexes = patterns.map((regex) => ({ regex, message }));
  const selectors = patterns.map((regex) => ({
    // esquery regexes may not contain '/': spell it \x2F.
    selector: `ImportExpression > Literal[value=/${regex.replaceAll('/', '\\x2F')}/]`,
    message,
  }));
  return {
    files,
    ignores,
    rules: {
      'no-restricted-imports': ['error', { patterns: regexes }],
      'no-restricted-syntax': ['error', ...selectors],
    },
  };
}
const layerRules = [
  // Every folder of src/ but the UI's own (state, model, kernels, sim, viz, charts, engine, …,
  // and any folder added later).
  layerRule(
    ['src/*/**/*.{ts,tsx}'],
    'State, model, kernels, sim, viz, charts and the engine sit below the UI: never import panels, shell or lesson.',
    [up(UI_LAYERS)],
    ['src/panels/**', 'src/shell/**', 'src/lesson/**'],
  ),
  layerRule(
    ['src/lesson/**/*.{ts,tsx}'],
    'src/lesson is pure lesson logic: it never imports panels or the shell (the lesson panel imports it).',
    [`^(\\.\\./)+(panels|shell)(/|$)`],
  ),
  layerRule(
    ['src/shell/**/*.{ts,tsx}'],
    'The shell reaches panels only through src/panels/registry.ts.',
    [`^(\\.\\./)+panels/(?!registry$)`],
  ),
  layerRule(
    ['src/panels/*/**/*.{ts,tsx}'],
    "A panel imports its own folder, src/panels/shared and layers below — never a sibling panel's internals, the registry or the shell.",
    ['^\\.\\./(?!shared/)[^./][^/]*/', '^\\.\\./registry$', up('shell')],
  ),
  layerRule(
    ['src/panels/shared/**/*.{ts,tsx}'],
    'src/panels/shared is what every panel may use: it imports no panel, the registry or the shell.',
    ['^\\.\\./(?!shared/)[^./][^/]*/', '^\\.\\./registry$', up('shell')],
  ),
];

export default tseslint.config(
  {
    ignores: [
      'dist',
      'node_modules',
      'public/models',
      'e2e-artifacts',
      'test-results',
      'playwright-report',
      'tools/train',
      '.gpu',
      'bench/out',
      'reports',
      // Git-ignored scratch work, never part of the lab.
      '.scratch',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // Playwright fixtures take `{}` when they need no other fixture.
    files: ['e2e/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    rules: {
      // Security (issue 11): no dynamic code evaluation anywhere in the app.
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  ...layerRules,
  {
    files: ['scripts/**/*.{js,mjs}', 'bench/**/*.{js,mjs}', '*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
