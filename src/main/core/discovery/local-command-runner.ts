// Runs local read-only commands (ip neigh, lsblk) without a shell: argv goes straight to execFile,
// so nothing in it is ever parsed by a shell.

import { execFile } from 'node:child_process'
import type { CommandResult, CommandRunner } from './ports'

export function localCommandRunner(timeoutMs = 10_000): CommandRunner {
  return {
    run(argv, options) {
      const [file, ...args] = argv
      if (file === undefined) return Promise.reject(new Error('empty command'))
      return new Promise<CommandResult>((resolve, reject) => {
        execFile(
          file,
          args,
          { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8', ...(options?.signal ? { signal: options.signal } : {}) },
          (error, stdout, stderr) => {
            if (error && typeof error.code !== 'number') return reject(error)
            resolve({ stdout, stderr, exitCode: error ? Number(error.code) : 0 })
          }
        )
      })
    }
  }
}
