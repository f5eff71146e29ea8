// Flash + verify of a 1 GiB image to a file, against `dd bs=4M conv=fsync` and a `sha256sum`
// read-back of the target, measured in the same run. Goals: a full image at >= 0.95x dd's
// throughput; a mostly empty image (file systems ~10% full) with block skipping at >= 2x.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { flashImage } from '../../src/main/core/flash/image-writer'
import type { SafetyPorts } from '../../src/main/core/flash/target-safety'
import { buildDiskImage, missingTools } from '../integration/flash/disk-image'

const GiB = 1024 ** 3
const noDrives: SafetyPorts = { listDrives: async () => [], readSys: async () => null }

function randomImage(file: string): void {
  const block = randomBytes(64 * 1024 * 1024)
  block[510] = 0x55
  block[511] = 0xaa
  const fd = openSync(file, 'w')
  for (let pos = 0; pos < GiB; pos += block.length) writeSync(fd, block, 0, block.length, pos)
  closeSync(fd)
}

function seconds(fn: () => void): number {
  const t = process.hrtime.bigint()
  fn()
  return Number(process.hrtime.bigint() - t) / 1e9
}

function ddAndHash(image: string, target: string): number {
  rmSync(target, { force: true })
  return seconds(() => {
    execFileSync('dd', [`if=${image}`, `of=${target}`, 'bs=4M', 'conv=fsync'], { stdio: 'ignore' })
    execFileSync('sha256sum', [target], { stdio: 'ignore' })
  })
}

async function ours(image: string, target: string, skipUnused: boolean): Promise<{ s: number; skipped: number }> {
  rmSync(target, { force: true })
  const t = process.hrtime.bigint()
  const [r] = await flashImage({ source: image, targets: [target], skipUnused }, { safety: noDrives })
  const s = Number(process.hrtime.bigint() - t) / 1e9
  if (!r || r.error || !r.verified) throw new Error(`flash failed: ${JSON.stringify(r?.error)}`)
  return { s, skipped: r.skippedBytes }
}

const missing = missingTools()
if (missing.length > 0) {
  console.log(`skipped: missing ${missing.join(', ')}`)
  process.exit(0)
}
const dir = mkdtempSync(path.join(os.tmpdir(), 'edgedock-bench-flash-'))
try {
  const full = path.join(dir, 'full.img')
  randomImage(full)
  const target = path.join(dir, 'target.img')
  // Both read the source from the page cache: read it once before either is timed.
  execFileSync('sha256sum', [full], { stdio: 'ignore' })
  const dd1 = ddAndHash(full, target)
  const ed1 = await ours(full, target, false)
  const mb = (s: number) => `${(GiB / 1024 ** 2 / s).toFixed(0)} MiB/s`
  console.log(`full 1 GiB   dd+sha256sum ${dd1.toFixed(2)} s (${mb(dd1)})   edgedock ${ed1.s.toFixed(2)} s (${mb(ed1.s)})   ratio ${(dd1 / ed1.s).toFixed(2)}x (goal >= 0.95x)`)
  rmSync(full)

  const sparse = buildDiskImage(dir, { sizeMiB: 1024, fatMiB: 256, fatFill: 24 * 1024 * 1024, extFill: 76 * 1024 * 1024 }, 'sparse.img')
  execFileSync('sha256sum', [sparse], { stdio: 'ignore' })
  const dd2 = ddAndHash(sparse, target)
  const ed2 = await ours(sparse, target, true)
  console.log(
    `sparse 1 GiB dd+sha256sum ${dd2.toFixed(2)} s   edgedock (skipping ${(ed2.skipped / 1024 ** 2).toFixed(0)} MiB) ${ed2.s.toFixed(2)} s   ratio ${(dd2 / ed2.s).toFixed(2)}x (goal >= 2x)`
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
