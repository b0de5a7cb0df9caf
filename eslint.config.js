// Lint = the layer arrows of shared/DESIGN.md, plus typescript-eslint's recommended rules.
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'stream', 'zlib', 'util', 'events', 'worker_threads'];
const NATIVE_AND_SERVER = ['electron', 'better-sqlite3', 'node-pty', 'ws', 'ollama', 'jszip'];

const restrict = (message, { paths = [], patterns = [] }) => ({
  'no-restricted-imports': ['error', { paths: paths.map((name) => ({ name, message })), patterns: patterns.map((group) => ({ group: [group], message })) }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'coverage/**', 'bench/.tmp/**', 'test/.tmp/**', 'renderer/dist/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: restrict('shared/ is pure TypeScript: no Node, Electron, DOM libraries or other layers.', {
      paths: [...NODE_BUILTINS, ...NATIVE_AND_SERVER, 'react', 'react-dom'],
      patterns: ['node:*', '**/electron/**', '**/renderer/**', 'react*', 'monaco-editor*'],
    }),
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: restrict('electron/core is the host-agnostic engine: it never imports Electron, the hosts or the renderer.', {
      paths: ['electron', 'react', 'react-dom'],
      patterns: ['**/renderer/**', '**/server/**', '**/cli/**', '**/main', '**/main.js', '**/preload*', '**/ipc-binding*', '**/security*'],
    }),
  },
  {
    files: ['electron/server/**/*.ts', 'electron/cli/**/*.ts'],
    rules: restrict('The browser host and CLI run without Electron.', {
      paths: ['electron', 'react', 'react-dom'],
      patterns: ['**/renderer/**', '**/main', '**/main.js', '**/preload*', '**/ipc-binding*'],
    }),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: restrict('The renderer talks to the engine only through the contract client (shared/).', {
      paths: [...NODE_BUILTINS, ...NATIVE_AND_SERVER],
      patterns: ['node:*', '**/electron/**'],
    }),
  },
  {
    files: ['scripts/**/*.mjs', 'bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
