import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { projectRoot } from './run-cli'

/**
 * Starts `npm run station` the way a user does and waits for its one line. `wrap` runs it under
 * another command, e.g. inside the Pi lab's network namespace.
 */
export async function startStationProcess(
  dataDir: string,
  extra: string[] = [],
  wrap: (argv: string[]) => string[] = (a) => a
): Promise<{ url: string; child: ChildProcess; stdout: () => string; stop: () => Promise<void> }> {
  const [file, ...argv] = wrap([process.execPath, path.join(projectRoot, 'bin', 'station.js'), '--data-dir', dataDir, ...extra])
  const child = spawn(file as string, argv, {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  let err = ''
  child.stderr?.on('data', (d) => (err += d))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`station did not start: ${err}`)), 60_000)
    child.stdout?.on('data', (d) => {
      out += d
      const m = /^EdgeDock station: (http:\/\/\S+)\n/m.exec(out)
      if (m?.[1]) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    child.on('exit', (code) => reject(new Error(`station exited ${code}: ${err}`)))
  })
  return {
    url,
    child,
    stdout: () => out,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      })
  }
}
