// The app's side of the writer helper: the same call as flashImage, run in a separate (elevated)
// process. Spawning is a port, so the composition root owns child_process and tests run the
// helper with plain node + tsx.
import { randomUUID } from 'node:crypto'
import type { Readable, Writable } from 'node:stream'
import { FlashError, isFlashErrorCode } from './flash-errors'
import type { BootSettings } from './customise'
import { encodeLine, HELPER_PROTOCOL_VERSION, LineReader, parseJsonLine, type HelperFlashResult, type HelperMessage } from './helper-protocol'
import type { FlashProgress, FlashRequest } from './image-writer'

export interface HelperProcess {
  stdin: Writable
  stdout: Readable
  stderr: Readable
  kill(signal?: NodeJS.Signals): boolean
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown
  once(event: 'error', listener: (err: Error) => void): unknown
}

export type SpawnHelper = (command: string, args: string[]) => HelperProcess

export interface HelperLaunch {
  /** e.g. [process.execPath, '/opt/edgedock/flash-helper.cjs'] */
  command: string[]
  spawn: SpawnHelper
}

/**
 * How to start the helper: through pkexec on Linux when a target is a device and we are not root
 * (image files need no privilege), directly elsewhere.
 */
export function helperCommand(entry: string[], needsRoot: boolean, platform = process.platform, uid = process.getuid?.() ?? -1): string[] {
  return platform === 'linux' && needsRoot && uid !== 0 ? ['pkexec', ...entry] : entry
}

export function targetsNeedRoot(targets: readonly string[]): boolean {
  return targets.some((t) => t.startsWith('/dev/'))
}

export interface HelperFlashOptions {
  signal?: AbortSignal
  onProgress?(p: FlashProgress): void
  /** First-boot settings the helper writes to each verified target's boot partition. */
  customise?: BootSettings
}

export function flashWithHelper(req: FlashRequest, launch: HelperLaunch, opts: HelperFlashOptions = {}): Promise<HelperFlashResult[]> {
  const [file, ...args] = launch.command
  if (file === undefined) return Promise.reject(new Error('empty helper command'))
  const id = randomUUID()
  const child = launch.spawn(file, args)
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => (stderr = (stderr + String(c)).slice(-2000)))

  return new Promise<HelperFlashResult[]>((resolve, reject) => {
    let settled = false
    const settle = (fn: () => void) => {
      if (settled) return
      settled = true
      opts.signal?.removeEventListener('abort', onAbort)
      child.stdin.end()
      fn()
    }
    const failWith = (code: 'FLASH_HELPER_PROTOCOL' | 'FLASH_HELPER_FAILED', detail: string) =>
      settle(() => reject(new FlashError(code, detail)))
    const onAbort = () => child.stdin.write(encodeLine({ type: 'cancel', id }))

    let greeted = false
    const onMessage = (m: HelperMessage) => {
      if (!greeted) {
        if (m.type !== 'hello') return failWith('FLASH_HELPER_PROTOCOL', `expected hello, got ${m.type}`)
        if (m.protocol !== HELPER_PROTOCOL_VERSION) return failWith('FLASH_HELPER_PROTOCOL', `helper speaks version ${m.protocol}, the app ${HELPER_PROTOCOL_VERSION}`)
        greeted = true
        child.stdin.write(encodeLine({ type: 'write', id, request: req, ...(opts.customise ? { customise: opts.customise } : {}) }))
        opts.signal?.addEventListener('abort', onAbort, { once: true })
        if (opts.signal?.aborted) onAbort()
        return
      }
      if (m.type === 'progress' && m.id === id) opts.onProgress?.(m.progress)
      else if (m.type === 'result' && m.id === id) settle(() => resolve(m.results))
      else if (m.type === 'error') {
        const code = isFlashErrorCode(m.error?.code) ? m.error.code : 'FLASH_HELPER_FAILED'
        settle(() => reject(new FlashError(code, m.error?.detail ?? '')))
      }
    }
    const lines = new LineReader(
      (line) => {
        const m = parseJsonLine(line) as HelperMessage | undefined
        if (m === undefined || typeof m !== 'object' || m === null || typeof m.type !== 'string') return failWith('FLASH_HELPER_PROTOCOL', 'unreadable line from the helper')
        onMessage(m)
      },
      () => failWith('FLASH_HELPER_PROTOCOL', 'line too long from the helper')
    )
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (c: string) => lines.push(c))
    child.once('error', (err) => failWith('FLASH_HELPER_FAILED', err.message))
    child.once('exit', (code, signal) => {
      // pkexec exits 126 when the user dismisses the password prompt, 127 when not authorised.
      const why = code === 126 || code === 127 ? 'permission to write the card was not given' : `exit ${code ?? signal}${stderr ? `: ${stderr.trim().split('\n').pop()}` : ''}`
      failWith('FLASH_HELPER_FAILED', why)
    })
  })
}

