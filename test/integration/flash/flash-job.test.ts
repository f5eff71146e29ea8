// The flash job through the app's one dispatch, as the UI starts it: per-target progress events with
// rate, the result with the SHA-256 read back, cancel (the helper gone, the target left without a
// partition table), and the station's narrower door for targets.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type EdgeDockApp } from '../../../src/main/app/create-app'
import type { FlashJobResult, FlashProgressEvent } from '../../../src/shared/contract-flash'
import type { Job } from '../../../src/shared/domain'
import { tempDir } from '../../helpers/temp-dir'
import { buildDiskImage, missingTools } from './disk-image'
import { sha256File } from './flash-fixture'

const missing = missingTools()

function helpersRunning(): string[] {
  try {
    return execFileSync('pgrep', ['-af', '__flash-helper'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes('edgedock.js'))
  } catch {
    return []
  }
}

describe.skipIf(missing.length > 0)(`flash job${missing.length ? ` (skipped: missing ${missing.join(', ')})` : ''}`, () => {
  const tmp = tempDir('edgedock-flash-job-')
  let app: EdgeDockApp
  let image = ''
  const dataDir = () => path.join(tmp.dir, 'data')
  beforeAll(() => {
    image = buildDiskImage(tmp.dir, { sizeMiB: 96, fatMiB: 16, fatFill: 8 * 1024 * 1024, extFill: 40 * 1024 * 1024 })
    app = createApp({ dataDir: dataDir() })
  })
  afterAll(() => {
    app.close()
    tmp.cleanup()
  })

  const start = async (input: unknown, transport: 'cli' | 'station' = 'cli') => {
    const r = await app.dispatch('flash.start', input, { transport })
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
    return (r.value as { jobId: string }).jobId
  }

  it('reports each target\'s progress with rate and ends with the SHA-256 read back from each', async () => {
    const targets = [path.join(tmp.dir, 'p-a.img'), path.join(tmp.dir, 'p-b.img')]
    const seen: FlashProgressEvent[] = []
    const off = app.events.subscribe((event, payload) => {
      if (event === 'flash.progress') seen.push(payload as FlashProgressEvent)
    })
    const jobId = await start({ source: { path: image }, targets })
    const job = await app.services.jobs.wait(jobId)
    off()
    expect(job.state).toBe('succeeded')
    const result = job.result as FlashJobResult
    const sha = sha256File(image)
    for (const t of targets) {
      expect(result.targets.find((r) => r.target === t)).toMatchObject({ verified: true, sha256: sha, error: null })
      const mine = seen.filter((p) => p.target === t && p.jobId === jobId)
      expect(new Set(mine.map((p) => p.phase))).toEqual(new Set(['write', 'verify', 'done']))
      expect(mine.some((p) => p.rate !== null && p.rate > 0)).toBe(true)
      expect(mine.at(-1)).toMatchObject({ phase: 'done', bytes: readFileSync(image).length })
    }
    expect(job.unit).toBe('bytes')
    expect(job.percent).toBe(100)
  })

  it('cancel mid-write stops the helper and leaves the target without a partition table', async () => {
    const target = path.join(tmp.dir, 'cancelled.img')
    let jobId = ''
    let cancelledAt: FlashProgressEvent | null = null
    const off = app.events.subscribe((event, payload) => {
      const p = payload as FlashProgressEvent
      if (event === 'flash.progress' && p.jobId === jobId && cancelledAt === null) {
        cancelledAt = p
        app.services.jobs.cancel(jobId)
      }
    })
    jobId = await start({ source: { path: image }, targets: [target] })
    const job: Job = await app.services.jobs.wait(jobId)
    off()
    expect(cancelledAt).toMatchObject({ phase: 'write' })
    expect(job.state).toBe('cancelled')
    const r = (job.result as FlashJobResult).targets[0]
    expect(r).toMatchObject({ committed: false, verified: false, sha256: null, error: { code: 'FLASH_CANCELLED' } })
    expect(readFileSync(target).subarray(0, 4096).every((b) => b === 0)).toBe(true)
    for (let i = 0; i < 40 && helpersRunning().length > 0; i++) await new Promise((res) => setTimeout(res, 100))
    expect(helpersRunning()).toEqual([])
  })

  it('takes from the station only drives of its list or files in the data folder\'s images/', async () => {
    const outside = path.join(tmp.dir, 'from-station.img')
    const refused = await app.dispatch('flash.start', { source: { path: image }, targets: [outside] }, { transport: 'station' })
    expect(refused.ok).toBe(false)
    if (!refused.ok) expect(refused.error).toMatchObject({ code: 'INVALID_INPUT' })
    expect(existsSync(outside)).toBe(false)
    const inside = path.join(dataDir(), 'images', 'card.img')
    const job = await app.services.jobs.wait(await start({ source: { path: image }, targets: [inside] }, 'station'))
    expect(job.state).toBe('succeeded')
    expect(sha256File(inside)).toBe(sha256File(image))
  })

  it('inspects an image: format, size unpacked; and refuses a file that is not one', async () => {
    const r = await app.dispatch('flash.inspect', { source: { path: image } }, { transport: 'cli' })
    expect(r).toMatchObject({ ok: true, value: { format: 'raw', sizeBytes: 96 * 1024 * 1024 } })
    const bad = await app.dispatch('flash.inspect', { source: { path: path.join(tmp.dir, 'cancelled.img.none') } }, { transport: 'cli' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'FLASH_SOURCE_UNREADABLE' } })
  })
})
