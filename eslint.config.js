// Lint rules that keep the architecture honest (after VS Code's layer rules):
// - the layering of src/ (which folder imports which; electron and node only where they run),
//   as one table in scripts/lint/layers.js;
// - child_process only through the modules that own it (remote commands go through one quoting module).
import js from '@eslint/js'
import globals from 'globals'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'
import { layersPlugin } from './scripts/lint/layers.js'

// Modules that own a local child process (each wraps it behind a small interface).
const CHILD_PROCESS_OWNERS = [
  'src/agent/bench/command-runner.ts',
  // The host baseline runs the same agent bundle as a local process.
  'src/main/core/bench/host-runner.ts',
  'src/main/core/discovery/local-command-runner.ts',
  'src/main/core/discovery/udev-monitor-trigger.ts',
  'src/main/core/runtime/node-package-cache.ts',
  // The flash writer: a helper process (elevated through pkexec where a drive needs root).
  'src/main/app/flash-helper-launch.ts',
  'scripts/**',
  'bin/**',
  'test/lab/**',
  'test/helpers/**',
  'test/bench/**',
  'test/integration/**',
  'test/unit/main/core/ssh/**',
  'test/unit/main/core/runtime/build-runtime-bundle.test.ts',
  // Ingest killed with SIGKILL mid-stream: it must run in a process of its own.
  'test/unit/main/core/logs/journal-kill.test.ts',
  // A unit on this machine for the deploy jobs' tests: the plans' commands run with the real GNU tools.
  'test/unit/main/core/deploy/local-unit.ts',
  'test/unit/main/core/discovery/mdns-multicast.test.ts',
  'test/unit/main/core/discovery/silent-subnet.test.ts'
]
const CHILD_PROCESS_BAN = ['child_process', 'node:child_process'].map((name) => ({
  name,
  message: 'Local processes go through the module that owns them; remote commands through src/main/core/ssh (see CHILD_PROCESS_OWNERS).'
}))
// Only the SSH layer holds an ssh2 client; everyone else gets its RemoteShell interface.
const SSH_LIBRARY_OWNERS = ['src/main/core/ssh/**', 'test/integration/ssh/**', 'test/unit/main/core/ssh/**']
const SSH_LIBRARY_BAN = ['ssh2', 'node-ssh'].map((name) => ({
  name,
  message: 'Only src/main/core/ssh may use the SSH library: run commands through its session and quoting module.'
}))

// Command strings built from data, wherever they would be handed to a shell.
const STRING_COMMAND_BANS = [
  {
    selector: "CallExpression[callee.property.name='execCommand']",
    message: 'Remote commands run only through the SSH session (src/main/core/ssh/ssh-session.ts).'
  },
  {
    selector:
      "CallExpression[callee.property.name=/^(exec|execCommand)$/] > :matches(TemplateLiteral[expressions.length>0], BinaryExpression[operator='+']).arguments:first-child",
    message: 'A command string built from data: build it from an argument array with src/main/core/ssh/remote-command.ts.'
  },
  {
    selector:
      "ArrayExpression:has(> Literal[value=/^(\\/bin\\/|\\/usr\\/bin\\/)?(sh|bash|dash)$/]):has(> Literal[value='-c']) > :matches(TemplateLiteral[expressions.length>0], BinaryExpression[operator='+'])",
    message: 'A shell script built from data: use shC()/pipeline()/redirect() from src/main/core/ssh/remote-command.ts.'
  }
]

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'build/**', '.lab/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    }
  },
  // Which folder may import which, and which runtime may import electron or node: one table.
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { edgedock: layersPlugin },
    rules: { 'edgedock/layers': 'error' }
  },
  // One door for remote commands: only the SSH layer may touch ssh2/node-ssh, so only it can reach
  // their exec; child_process only in the modules that own a local process.
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    ignores: [...CHILD_PROCESS_OWNERS, ...SSH_LIBRARY_OWNERS],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...CHILD_PROCESS_BAN, ...SSH_LIBRARY_BAN]
        }
      ]
    }
  },
  {
    files: CHILD_PROCESS_OWNERS,
    ignores: SSH_LIBRARY_OWNERS,
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: SSH_LIBRARY_BAN }
      ]
    }
  },
  {
    files: ['src/main/core/ssh/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: CHILD_PROCESS_BAN }
      ]
    }
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/main/core/ssh/**', 'src/main/store/**'],
    rules: { 'no-restricted-syntax': ['error', ...STRING_COMMAND_BANS] }
  },
  // The CLI is a client of the contract like the UI: calls and events, never the services behind them.
  {
    files: ['src/main/cli/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...STRING_COMMAND_BANS,
        {
          selector: 'MemberExpression[property.name=/^(services|store|handlers|db)$/]',
          message: 'The CLI goes through the contract (ctx.call and ctx.subscribe), not the services or repositories behind it.'
        }
      ]
    }
  },
  // Inside the SSH layer only the session module execs; the rest (host-key scan, keys) never does.
  {
    files: ['src/main/core/ssh/**/*.ts'],
    ignores: ['src/main/core/ssh/ssh-session.ts', 'src/main/core/ssh/remote-command.ts', 'src/main/core/ssh/ssh-exec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...STRING_COMMAND_BANS,
        {
          selector: "CallExpression[callee.property.name=/^(exec|shell|subsys|sftp)$/]:not([callee.object.regex])",
          message: 'Only ssh-session.ts opens channels on a unit, through its exec module ssh-exec.ts (SFTP goes through node-ssh in ssh-sftp.ts).'
        }
      ]
    }
  },
  {
    files: ['src/main/index.ts', 'src/preload/**/*.ts', 'test/e2e/electron-*.test.ts'],
    rules: { 'no-restricted-imports': 'off' }
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn'
    }
  }
)
