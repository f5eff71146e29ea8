// Lint rules that keep the architecture honest (after VS Code's layer rules):
// - `electron` only in the Electron entry and the preload;
// - nothing under src/shared imports node or DOM-only code;
// - child_process only through the modules that own it (remote commands go through one quoting module).
import js from '@eslint/js'
import globals from 'globals'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'build/**', '.lab/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only src/main/index.ts and src/preload may import electron (DESIGN.md).' }]
        }
      ]
    }
  },
  {
    files: ['src/main/index.ts', 'src/preload/**/*.ts', 'test/e2e/electron-*.test.ts'],
    rules: { 'no-restricted-imports': 'off' }
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'src/shared is pure TypeScript.' }],
          patterns: [{ group: ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'crypto'], message: 'src/shared is pure TypeScript: no node modules.' }]
        }
      ]
    }
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks only to the typed client.' }],
          patterns: [{ group: ['node:*', '**/main/**'], message: 'The renderer is sandboxed: no node modules, no main-process code.' }]
        }
      ]
    }
  }
)
