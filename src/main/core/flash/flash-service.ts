// Flashing as a job: the drives with a verdict each, what an image is, and a write to one or more
// targets through the writer helper (a separate process, elevated only when a drive needs it), with
// per-target progress events, first-boot settings, the unit's host key pinned before the card
// leaves the writer, and a history line per target.
import { open, stat } from 'node:fs/promises'
import path from 'node:path'
import type { FlashCustomise, FlashDrive, FlashInspection, FlashJobResult, FlashProgressEvent, FlashTargetResult, FlashVerdict } from '../../../shared/contract-flash'
import { EdgeError, type ErrorCode } from '../../../shared/errors'
import { text } from '../../../shared/texts'
import type { BlockDrive } from '../discovery/block-drives'
import type { EventHub } from '../event-hub'
import type { JobRunner } from '../jobs/job-runner'
import type { HistoryRepo } from '../../store/history-repo'
import type { HostKeysRepo } from '../../store/host-keys-repo'
import { checkSettings, readBootPartitionFacts, sha512Crypt, type BootSettings } from './customise'
import { FlashError } from './flash-errors'
import { flashWithHelper, targetsNeedRoot, type HelperLaunch } from './helper-client'
import type { HelperFlashResult } from './helper-protocol'
import { detectFormat, looksLikeDiskImage } from './detect-format'
import { openImageSource } from './open-source'
import { assertTargetAllowed, gatherTargetFacts, systemSysReader, type SafetyPorts, type TargetFacts } from './target-safety'

export interface FlashServiceDeps {
  jobs: JobRunner
  events: EventHub
  history: HistoryRepo
  hostKeys: Pick<HostKeysRepo, 'pin'>
  /** EdgeDock's own public key line, put in the unit's authorized_keys when asked. */
  edgedockPublicKey(): string
  /** How to start the writer helper; `needsRoot` when a target is a drive and this process is not root. */
  helper(needsRoot: boolean): HelperLaunch
  listDrives(): Promise<BlockDrive[]>
  /** Facts about a target (tests give their own; the default looks at the file system and lsblk). */
  gatherFacts?(target: string, source: string, ports: SafetyPorts): Promise<TargetFacts>
  now?(): number
}

export interface FlashStartRequest {
  source: string
  targets: string[]
  sha256?: string | undefined
  confirmLarge?: boolean | undefined
  customise?: FlashCustomise | undefined
}

/** A FlashError as the EdgeError every transport knows (the FLASH_* codes are in the error table). */
export function edgeErrorOf(err: unknown): unknown {
  return err instanceof FlashError ? new EdgeError(err.code as ErrorCode, err.detail, { cause: err }) : err
}

function verdictOf(err: unknown): FlashVerdict {
  if (!(err instanceof FlashError)) return { state: 'refused', code: 'FLASH_TARGET_NOT_A_DRIVE', detail: String((err as Error)?.message ?? err) }
  return { state: err.code === 'FLASH_TARGET_LARGE_UNCONFIRMED' ? 'warn' : 'refused', code: err.code, detail: err.detail }
}

/** The contract's settings as the customise core takes them; the password is hashed here, never sent on. */
export function bootSettingsOf(c: FlashCustomise, edgedockKey: () => string): BootSettings {
  const keys = [...(c.authorizedKeys ?? [])]
  if (c.user && c.edgedockKey !== false) keys.push(edgedockKey())
  const settings: BootSettings = {
    ...(c.hostname !== undefined ? { hostname: c.hostname } : {}),
    ...(c.user
      ? { user: { name: c.user.name, ...(c.user.passwordHash !== undefined ? { passwordHash: c.user.passwordHash } : c.user.password !== undefined ? { passwordHash: sha512Crypt(c.user.password) } : {}) } }
      : {}),
    ...(keys.length > 0 ? { authorizedKeys: keys } : {}),
    ...(c.wifi ? { wifi: c.wifi } : {}),
    ...(c.locale !== undefined ? { locale: c.locale } : {}),
    ...(c.keyboardLayout !== undefined ? { keyboardLayout: c.keyboardLayout } : {}),
    ...(c.timezone !== undefined ? { timezone: c.timezone } : {}),
    ...(c.staticIp ? { staticIp: c.staticIp } : {})
  }
  // Every value is checked before the job starts: a bad one is refused and nothing is written.
  checkSettings(settings)
  return settings
}

export function createFlashService(deps: FlashServiceDeps) {
  const gather = deps.gatherFacts ?? gatherTargetFacts
  const now = deps.now ?? Date.now

  const drives = async (opts: { source?: string | undefined; imageSizeBytes?: number | undefined } = {}): Promise<FlashDrive[]> => {
    const list = await deps.listDrives()
    const ports: SafetyPorts = { listDrives: async () => list, readSys: systemSysReader.readSys }
    return Promise.all(
      list.map(async (d) => {
        let verdict: FlashVerdict = { state: 'ok', code: null, detail: '' }
        try {
          assertTargetAllowed(await gather(d.path, opts.source ?? '', ports), { imageSize: opts.imageSizeBytes ?? null, confirmLarge: false })
        } catch (err) {
          verdict = verdictOf(err)
        }
        return {
          name: d.name,
          path: d.path,
          sizeBytes: d.sizeBytes,
          model: d.model,
          vendor: d.vendor,
          transport: d.transport,
          removable: d.removable,
          mountpoints: d.mountpoints,
          verdict
        }
      })
    )
  }

  const inspect = async (source: string): Promise<FlashInspection> => {
    const st = await stat(source).catch((err: NodeJS.ErrnoException) => {
      throw new EdgeError('FLASH_SOURCE_UNREADABLE', `${source}: ${err.code ?? err.message}`)
    })
    if (!st.isFile()) throw new EdgeError('FLASH_SOURCE_UNREADABLE', `${source} is not a file`)
    let src
    try {
      src = await openImageSource(source)
    } catch (err) {
      throw edgeErrorOf(err)
    }
    try {
      // The first unpacked bytes say whether it is a disk image at all (a renamed text file is not).
      const first = await src.chunks[Symbol.asyncIterator]().next()
      if (first.done || !looksLikeDiskImage(first.value)) throw new FlashError('FLASH_SOURCE_NOT_DISK_IMAGE', source)
    } catch (err) {
      throw edgeErrorOf(err)
    } finally {
      src.close()
    }
    let firstBoot: FlashInspection['firstBoot'] = null
    let bootLabel: string | null = null
    // A packed image's boot partition is only seen once it is written (no temporary full copy).
    if (src.format === 'raw') {
      const facts = await readBootPartitionFacts(source).catch(() => null)
      firstBoot = facts?.mechanism ?? null
      bootLabel = facts?.label ?? null
    }
    return { path: source, format: src.format, sizeBytes: src.declaredSize, fileBytes: st.size, firstBoot, bootLabel }
  }

  const start = (req: FlashStartRequest): { jobId: string } => {
    const targets = [...new Set(req.targets)]
    for (const t of targets) {
      if (t.includes('\0') || !path.isAbsolute(t)) throw new EdgeError('INVALID_INPUT', `${t} is not an absolute path`)
    }
    let settings: BootSettings | undefined
    try {
      settings = req.customise ? bootSettingsOf(req.customise, deps.edgedockPublicKey) : undefined
    } catch (err) {
      throw edgeErrorOf(err)
    }
    const image = path.basename(req.source)
    const job = deps.jobs.start({ kind: 'flash', title: text('job.flash', { image, n: targets.length }), unit: 'bytes' }, async (jc) => {
      if (req.customise?.user?.password) jc.secret(req.customise.user.password)
      if (req.customise?.wifi?.passphrase) jc.secret(req.customise.wifi.passphrase)
      const last = new Map<string, FlashProgressEvent>()
      const emit = (p: FlashProgressEvent) => {
        last.set(p.target, p)
        deps.events.emit('flash.progress', p)
        // The job's own bar: every target's write and read-back, as one count of bytes.
        let done = 0
        let total = 0
        for (const t of targets) {
          const q = last.get(t)
          const size = q?.total ?? null
          if (size === null || q === undefined) continue
          total += 2 * size
          done += q.phase === 'write' ? q.bytes : size + (q.phase === 'verify' ? q.bytes : size)
        }
        if (total > 0) jc.progress(done, total)
      }
      const launch = deps.helper(targetsNeedRoot(targets))
      jc.log('info', `Writer helper: ${launch.command.join(' ')}`)
      const results = await jc.step(text('step.flashWrite'), async () => {
        try {
          return await flashWithHelper(
            { source: req.source, targets, ...(req.sha256 ? { expectedSha256: req.sha256 } : {}), ...(req.confirmLarge ? { confirmLarge: true } : {}) },
            launch,
            {
              signal: jc.signal,
              ...(settings ? { customise: settings } : {}),
              onProgress: (p) => emit({ jobId: jc.jobId, target: p.target, phase: p.phase, bytes: p.bytes, total: p.total, rate: p.rate, etaSeconds: p.etaSeconds })
            }
          )
        } catch (err) {
          throw edgeErrorOf(err)
        }
      })
      const out = results.map((r) => targetResult(r, req.customise?.hostname ?? null))
      for (const r of out) {
        if (r.firstBoot?.hostKeyFingerprint && r.firstBoot.pinnedAs) {
          const hk = results.find((x) => x.target === r.target)?.firstBoot?.result?.hostKey
          if (hk) deps.hostKeys.pin({ host: r.firstBoot.pinnedAs, port: 22, algorithm: hk.algorithm, fingerprint: hk.fingerprint, pinnedAt: now() })
          jc.log('info', `${r.target}: host key ${r.firstBoot.hostKeyFingerprint} pinned for ${r.firstBoot.pinnedAs}`)
        }
        const size = r.bytesWritten + r.skippedBytes
        if (r.error === null) emit({ jobId: jc.jobId, target: r.target, phase: 'done', bytes: size, total: size, rate: null, etaSeconds: null })
        jc.log(r.error ? 'error' : 'info', r.error ? `${r.target}: ${r.error.message}` : `${r.target}: ${r.bytesWritten} bytes written, verified, SHA-256 ${r.sha256}`)
        deps.history.add({
          kind: 'flash.target',
          deviceId: null,
          deviceName: r.firstBoot?.pinnedAs ?? null,
          jobId: jc.jobId,
          summary: r.error ? `${image} → ${r.target}: ${r.error.message}` : `${image} → ${r.target}: verified, SHA-256 ${r.sha256?.slice(0, 16)}…`,
          outcome: r.error ? (r.error.code === 'FLASH_CANCELLED' ? 'cancelled' : 'failed') : 'ok'
        })
      }
      const sourceMatched = req.sha256 !== undefined && out.some((r) => r.committed)
      const result: FlashJobResult = { source: req.source, format: (await formatOf(req.source)) ?? 'unknown', sourceSha256: sourceMatched ? req.sha256!.toLowerCase() : null, targets: out }
      jc.setResult(result)
      jc.signal.throwIfAborted()
      const failed = out.filter((r) => r.error !== null)
      if (failed.length === 1) throw new EdgeError(failed[0]!.error!.code as ErrorCode, failed[0]!.error!.detail)
      if (failed.length > 1) throw new EdgeError('FLASH_TARGETS_FAILED', failed.map((r) => `${r.target}: ${r.error!.message}`).join('; '))
    })
    return { jobId: job.id }
  }

  return { drives, inspect, start }
}

/** The format from the file's first bytes, without opening a decoder. */
async function formatOf(source: string): Promise<string | null> {
  try {
    const fh = await open(source, 'r')
    try {
      const head = Buffer.alloc(8)
      await fh.read(head, 0, 8, 0)
      return detectFormat(head)
    } finally {
      await fh.close()
    }
  } catch {
    return null
  }
}

/** One target as the contract shows it; a first-boot failure is that target's error. */
function targetResult(r: HelperFlashResult, hostname: string | null): FlashTargetResult {
  const fb = r.firstBoot
  const key = fb?.result?.hostKey ?? null
  return {
    target: r.target,
    bytesWritten: r.bytesWritten,
    sha256: r.sha256,
    verified: r.verified,
    seconds: r.seconds,
    skippedBytes: r.skippedBytes,
    committed: r.committed,
    error: r.error ?? fb?.error ?? null,
    firstBoot: fb?.result
      ? {
          mechanism: fb.result.mechanism,
          hostKeyFingerprint: key?.fingerprint ?? null,
          // The unit answers as <hostname>.local once it boots; that is where its key is expected.
          pinnedAs: key && hostname ? `${hostname}.local` : null
        }
      : null
  }
}

export type FlashService = ReturnType<typeof createFlashService>
