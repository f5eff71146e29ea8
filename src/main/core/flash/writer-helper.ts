// The privileged writer: a small entry of its own, started by the app (through pkexec where the
// target needs root). It trusts nothing it is told: every request is parsed from scratch and
// flashImage re-checks every safety rule against lsblk and the file system before writing.
import { pathToFileURL } from 'node:url'
import { localCommandRunner } from '../discovery/local-command-runner'
import { LSBLK_COMMAND, parseLsblkDrives } from '../discovery/block-drives'
import { FlashError, flashErrorInfo } from './flash-errors'
import { customiseBootPartition, type BootSettings } from './customise'
import { appMessageSchema, encodeLine, HELPER_PROTOCOL_VERSION, LineReader, parseJsonLine, type HelperFlashResult, type HelperMessage } from './helper-protocol'
import { flashImage, type FlashResult } from './image-writer'
import { checkTarget, systemSysReader, type SafetyPorts } from './target-safety'

const runner = localCommandRunner(15_000)

export const helperSafety: SafetyPorts = {
  async listDrives() {
    const r = await runner.run(LSBLK_COMMAND).catch(() => null)
    // No lsblk: no drive is known, so every block device is refused; image files still work.
    return r && r.exitCode === 0 ? parseLsblkDrives(r.stdout) : []
  },
  readSys: systemSysReader.readSys
}

/**
 * First-boot settings on every target that was written and verified, once the writer has closed it.
 * A target that failed or was cancelled is left as it is: it has no partition table to find.
 */
async function customiseWritten(results: FlashResult[], source: string, settings: BootSettings | undefined, signal: AbortSignal): Promise<HelperFlashResult[]> {
  if (settings === undefined) return results
  const out: HelperFlashResult[] = []
  for (const r of results) {
    if (!r.verified || r.error !== null || signal.aborted) {
      out.push(r)
      continue
    }
    try {
      // The new partition table may have been noticed and a partition mounted meanwhile (desktop
      // automount): the rules are checked again, so a mounted FAT is never edited underneath.
      await checkTarget(r.target, source, { imageSize: null, confirmLarge: true }, helperSafety)
      out.push({ ...r, firstBoot: { result: await customiseBootPartition(r.target, settings), error: null } })
    } catch (err) {
      out.push({ ...r, firstBoot: { result: null, error: flashErrorInfo(err instanceof FlashError ? err : new FlashError('FLASH_CUSTOMISE_INVALID', String((err as Error)?.message ?? err))) } })
    }
  }
  return out
}

export function runWriterHelper(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<void> {
  const send = (m: HelperMessage) => output.write(encodeLine(m))
  const jobs = new Map<string, { abort: AbortController; done: Promise<void> }>()
  const protocolError = (detail: string, id: string | null = null) =>
    send({ type: 'error', id, error: flashErrorInfo(new FlashError('FLASH_HELPER_PROTOCOL', detail)) })

  send({ type: 'hello', protocol: HELPER_PROTOCOL_VERSION, pid: process.pid })

  const onLine = (line: string) => {
    const parsed = appMessageSchema.safeParse(parseJsonLine(line))
    if (!parsed.success) return protocolError(`not a valid message: ${parsed.error.issues[0]?.message ?? 'bad JSON'}`)
    const msg = parsed.data
    if (msg.type === 'cancel') {
      jobs.get(msg.id)?.abort.abort()
      return
    }
    if (jobs.has(msg.id)) return protocolError(`request ${msg.id} is already running`, msg.id)
    const abort = new AbortController()
    const done = flashImage(msg.request, {
      safety: helperSafety,
      signal: abort.signal,
      onProgress: (progress) => send({ type: 'progress', id: msg.id, progress })
    })
      .then((results) => customiseWritten(results, msg.request.source, msg.customise, abort.signal))
      .then((results) => void send({ type: 'result', id: msg.id, results }))
      .catch((err: unknown) => void send({ type: 'error', id: msg.id, error: flashErrorInfo(new FlashError('FLASH_HELPER_FAILED', String((err as Error)?.message ?? err))) }))
      .finally(() => jobs.delete(msg.id))
    jobs.set(msg.id, { abort, done })
  }
  const lines = new LineReader(onLine, () => protocolError('line too long'))
  input.setEncoding?.('utf8')
  input.on('data', (c: string | Buffer) => lines.push(String(c)))
  return new Promise((resolve) => {
    // The app going away is a cancel: stop every write, leave no card looking bootable, then exit.
    input.on('end', () => {
      for (const j of jobs.values()) j.abort.abort()
      void Promise.all([...jobs.values()].map((j) => j.done)).then(() => resolve())
    })
  })
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // A bug must still reach the app as a protocol line it can show, not as a silent exit.
  process.on('uncaughtException', (err) => {
    process.stdout.write(encodeLine({ type: 'error', id: null, error: flashErrorInfo(new FlashError('FLASH_HELPER_FAILED', err.message)) }))
    process.exit(70)
  })
  void runWriterHelper(process.stdin, process.stdout).then(() => process.exit(0))
}
