// `edgedock … | head` closes the pipe before the CLI has written everything: the command must end
// quietly, as other Unix tools do, not with Node's unhandled 'error' event and its stack trace.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { expect, it } from 'vitest'
import { projectRoot } from '../../helpers/run-cli'
import { tempDir } from '../../helpers/temp-dir'

it('a reader that closes the pipe early gets no stack trace', async () => {
  const data = tempDir('edgedock-pipe-')
  const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'edgedock.js'), '--help'], {
    cwd: projectRoot,
    env: { ...process.env, EDGEDOCK_DATA_DIR: data.dir },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  // Closed before Node has started, so the CLI's first write meets a pipe with no reader.
  child.stdout.destroy()
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += d))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  data.cleanup()
  expect(stderr).toBe('')
  expect(code).toBe(0)
}, 30_000)
