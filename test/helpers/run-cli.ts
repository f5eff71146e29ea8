import { spawn } from 'node:child_process'
import path from 'node:path'

export const projectRoot = path.resolve(import.meta.dirname, '../..')

/** Runs `edgedock …` exactly as a user would (bin/edgedock.js), and collects its output. */
export function runCli(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; wrap?: (argv: string[]) => string[] } = {}
): Promise<{ code: number; stdout: string; stderr: string }> {
  // `wrap` runs it under another command, e.g. inside the Pi lab's network namespace.
  const [file, ...argv] = (opts.wrap ?? ((a) => a))([process.execPath, path.join(projectRoot, 'bin', 'edgedock.js'), ...args])
  return new Promise((resolve, reject) => {
    const child = spawn(file as string, argv, {
      cwd: projectRoot,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })
}
