// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';

const rawIpc = {
  selector: "MemberExpression[object.name=/^ipc(Main|Renderer)$/]",
  message: 'Raw ipcMain/ipcRenderer belongs only in src-main/shell/ipc.ts and the preload: call invoke(operation, input).',
};

/** What the sandboxed renderer never imports (also repeated by the raw-invoke block below). */
const rendererImports = {
  paths: [{ name: 'electron', message: 'The renderer reaches main only through invoke().' }],
  patterns: [{ group: ['node:*', '**/src-main/**'], message: 'The renderer runs sandboxed: no Node, no main-side code.' }],
};

/*
 * The layers (ARCHITECTURE.md). import-x resolves each import to its file, so a zone holds however the
 * path is spelled (`../../training/x.ts`, `../training/index.ts`, …). Tests, benchmarks and scripts may
 * import anything; they are no zone's target.
 */
const MAIN_OUTSIDE_TRAINING = ['./src-main/!(composition|training)/**', './src-main/*.ts', './shared/**', './src-renderer/**'];
const layerZones = [
  { target: './src-renderer', from: './src-main', message: 'The renderer reaches main only through app/ops.ts (invoke over the bridge).' },
  {
    target: './shared',
    // Everything outside shared/ but the installed packages (Node builtins and electron: no-restricted-imports below).
    from: ['./!(shared|node_modules)/**', './*.*'],
    message: 'shared/ runs in both main and the renderer: it imports only shared/ and runtime-neutral packages.',
  },
  {
    target: './src-main/services',
    from: ['./src-main/training', './src-main/composition', './src-main/dispatch', './src-main/host-web', './src-main/shell'],
    message: 'A service knows its ports (src-main/ports.ts), connectors and stores, never the environment, the root, the dispatcher or a host.',
  },
  {
    target: './src-main/connectors',
    from: ['./src-main/services', './src-main/composition', './src-main/dispatch', './src-main/training'],
    message: 'A connector talks to one outside system; the services use it, not the other way round.',
  },
  {
    target: './src-main/store',
    from: ['./src-main/services', './src-main/connectors', './src-main/composition', './src-main/training'],
    message: 'A store keeps data; it knows no service, connector, environment or root.',
  },
  {
    target: './src-main/dispatch',
    from: ['./src-main/composition', './src-main/training'],
    message: 'The dispatcher is given its services; it does not build them or know the environment.',
  },
  {
    target: MAIN_OUTSIDE_TRAINING,
    from: './src-main/training',
    message: 'Only the composition root (src-main/composition/) chooses the training environment.',
  },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-results/**', 'playwright-report/**', 'artifacts/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
      // Type information from each file's own TypeScript project (see tsconfig.json's references).
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A promise nobody awaits loses its error: await it, or hand it to runInBackground() (main) /
      // inBackground() (renderer), which report the failure and say why the work is not awaited.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', rawIpc],
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'Electron is imported only by src-main/shell.' }],
      }],
    },
  },
  {
    // Layer boundaries (see layerZones above) for the application code.
    files: ['shared/**/*.ts', 'src-main/**/*.ts', 'src-renderer/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: layerZones }],
    },
  },
  {
    // No import cycle in main. Type-only imports are not followed (import-x/no-cycle always skips them):
    // they vanish at run time and cannot break the order modules load in.
    files: ['src-main/**/*.ts'],
    plugins: { 'import-x': importX },
    // import-x reads a dependency only if it knows its extension and parser; imports name the .ts file,
    // so its built-in Node resolver finds them without a TypeScript resolver.
    settings: { 'import-x/extensions': ['.ts', '.js'], 'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] } },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // Only the shell imports Electron ...
    files: ['src-main/shell/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // ... and only the one IPC binding module and the preload touch raw IPC.
    files: ['src-main/shell/ipc.ts', 'src-main/shell/preload.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['shared/**/*.ts'],
    plugins: { 'import-x': importX },
    rules: {
      // Builtins however spelled (`node:fs` and `fs`).
      'import-x/no-nodejs-modules': 'error',
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'shared/ is runtime-neutral.' }],
        patterns: [{ group: ['node:*', 'react', 'react-dom'], message: 'shared/ has no Node, Electron or DOM imports.' }],
      }],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', rendererImports],
    },
  },

  // ── Renderer: no raw invoke() outside app/ops.ts and app/transport.ts (issue #14) ──────────────────
  // Screens call useOp / useOpMutation / the named helpers in app/ops.ts, so every answer is cached under
  // the one query key and every write refreshes what its contract entry names. Options of a rule do not
  // merge across blocks, so this block repeats the renderer's import limits and adds transport's invoke.
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    ignores: ['src-renderer/app/ops.ts', 'src-renderer/app/transport.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: rendererImports.paths,
        patterns: [
          ...rendererImports.patterns,
          {
            group: ['**/app/transport', '**/app/transport.ts', './transport', './transport.ts'],
            importNames: ['invoke'],
            message: 'Call main through app/ops.ts (useOp, useOpMutation or a named helper there), not transport\'s raw invoke().',
          },
        ],
      }],
    },
  },
  // ── end of the raw-invoke block ───────────────────────────────────────────────────────────────────
);
