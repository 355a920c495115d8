// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
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
    rules: {
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
