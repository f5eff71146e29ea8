// `edgedock flash` as a technician runs it (bin/edgedock.js, a real job, the writer helper as its own
// process): a Raspberry Pi style image from raw, xz, gz and zst onto image-file targets, the bytes
// and the SHA-256 read back checked against the image; refusals in plain words and nothing changed;
// first-boot settings on the written card with its host key pinned.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../../src/main/app/create-app'
import { runCli } from '../../helpers/run-cli'
import { tempDir } from '../../helpers/temp-dir'
import { buildPiBootImage, missingTools, pack } from './disk-image'
import { sha256File } from './flash-fixture'
import { mdirNames, missingFatTools, mtype } from './customise/fat-tools'

const missing = [...missingTools(), ...missingFatTools()]
const CMDLINE = 'console=serial0,115200 console=tty1 root=PARTUUID=5eed4321-02 rootfstype=ext4 fsck.repair=yes rootwait\n'

interface FlashJson {
  jobId: string
  state: string
  format: string | null
  targets: {
    target: string
    bytesWritten: number
    sha256: string | null
    verified: boolean
    seconds: number
    firstBoot: { mechanism: string; hostKeyFingerprint: string | null; pinnedAs: string | null } | null
    error: { code: string; message: string } | null
  }[]
}

describe.skipIf(missing.length > 0)(`edgedock flash${missing.length ? ` (skipped: missing ${missing.join(', ')})` : ''}`, () => {
  const tmp = tempDir('edgedock-flash-cli-')
  const dataDir = () => path.join(tmp.dir, 'data')
  let image = ''
  let imageSha = ''
  const flash = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(['--data-dir', dataDir(), ...args], { env })
  const flashJson = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const r = await flash(['--json', 'flash', ...args], env)
    return { ...r, json: r.stdout.trim().startsWith('{') ? (JSON.parse(r.stdout) as FlashJson) : null }
  }

  beforeAll(() => {
    image = buildPiBootImage(tmp.dir, { fat: 16, fatMiB: 16, extMiB: 8, files: { 'cmdline.txt': CMDLINE, 'config.txt': 'arm_64bit=1\n' } })
    imageSha = sha256File(image)!
  })
  afterAll(() => tmp.cleanup())

  it('writes a raw image to two file targets from one read, each verified with the image\'s SHA-256', async () => {
    const a = path.join(tmp.dir, 'card-a.img')
    const b = path.join(tmp.dir, 'card-b.img')
    // A longer file that was there before is cut to the image: the target is exactly the image.
    writeFileSync(b, Buffer.alloc(40 * 1024 * 1024, 0xee))
    const r = await flashJson([image, '--to', a, '--to', b, '--sha256', imageSha])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json).toMatchObject({ state: 'succeeded', format: 'raw' })
    for (const t of [a, b]) {
      const row = r.json!.targets.find((x) => x.target === t)!
      expect(row).toMatchObject({ verified: true, sha256: imageSha, error: null, bytesWritten: readFileSync(image).length })
      expect(sha256File(t)).toBe(imageSha)
    }
  })

  it.each(['xz', 'gz', 'zst'] as const)('unpacks a .img.%s while writing: the target holds the raw image', async (format) => {
    const packed = pack(image, format)
    const target = path.join(tmp.dir, `from-${format}.img`)
    const r = await flashJson([packed, target])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json!.format).toBe(format === 'gz' ? 'gzip' : format === 'zst' ? 'zstd' : 'xz')
    expect(r.json!.targets[0]).toMatchObject({ verified: true, sha256: imageSha })
    expect(readFileSync(target).equals(readFileSync(image))).toBe(true)
  })

  it('prints a table with each target and its SHA-256 without --json', async () => {
    const target = path.join(tmp.dir, 'human.img')
    const r = await flash(['flash', image, '--to', target])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/TARGET\s+STATE\s+WRITTEN\s+SECONDS\s+SHA256/)
    expect(r.stdout).toContain(`${target}  verified`)
    expect(r.stdout).toContain(imageSha)
  })

  it('refuses a file that is no disk image in plain words and leaves the target as it was', async () => {
    const notImage = path.join(tmp.dir, 'notes.img')
    writeFileSync(notImage, 'these are my notes, not a disk\n'.repeat(2000))
    const target = path.join(tmp.dir, 'keep.img')
    writeFileSync(target, 'precious bytes')
    const before = sha256File(target)
    const r = await flash(['flash', notImage, '--to', target])
    expect(r.code).toBe(1)
    expect(r.stdout + r.stderr).toContain('is not a disk image (no MBR or GPT partition table at its start)')
    expect(sha256File(target)).toBe(before)
  })

  it('refuses the image itself as a target while writing the other one; the source is unchanged', async () => {
    const ok = path.join(tmp.dir, 'next-to-refused.img')
    const r = await flashJson([image, '--to', image, '--to', ok])
    expect(r.code).toBe(1)
    expect(sha256File(image)).toBe(imageSha)
    const refused = r.json!.targets.find((t) => t.target === image)!
    expect(refused.error).toMatchObject({ code: 'FLASH_TARGET_HOLDS_SOURCE' })
    expect(refused.error!.message).toContain('holds the image file itself')
    expect(r.json!.targets.find((t) => t.target === ok)).toMatchObject({ verified: true, sha256: imageSha })
  })

  it('does not make a target bootable when the image does not match --sha256', async () => {
    const target = path.join(tmp.dir, 'wrong-sha.img')
    const r = await flashJson([image, '--to', target, '--sha256', 'ab'.repeat(32)])
    expect(r.code).toBe(1)
    expect(r.json!.targets[0]!.error).toMatchObject({ code: 'FLASH_SOURCE_CHECKSUM_MISMATCH' })
    // No partition table: the card will not boot half-trusted.
    expect(readFileSync(target).subarray(0, 4096).every((b) => b === 0)).toBe(true)
  })

  it('refuses a bad first-boot setting before anything is written', async () => {
    const target = path.join(tmp.dir, 'bad-hostname.img')
    const r = await flash(['flash', image, '--to', target, '--hostname', 'not_a valid name'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('A first-boot setting cannot be used')
    expect(sha256File(target)).toBeNull()
  })

  it('sets up the first boot on the written card and pins the unit\'s host key for its hostname', async () => {
    const target = path.join(tmp.dir, 'custom.img')
    const r = await flashJson([image, '--to', target, '--hostname', 'unit-42', '--user', 'edge', '--password-env', 'UNIT_PW', '--timezone', 'Europe/London'], {
      UNIT_PW: 'not in any log'
    })
    expect(r.code, r.stderr).toBe(0)
    const row = r.json!.targets[0]!
    // The SHA-256 is of the image as written and verified; the settings come after.
    expect(row).toMatchObject({ verified: true, sha256: imageSha, firstBoot: { mechanism: 'firstrun', pinnedAs: 'unit-42.local' } })
    expect(row.firstBoot!.hostKeyFingerprint).toMatch(/^SHA256:/)
    expect(mdirNames(target)).toContain('firstrun.sh')
    const script = mtype(target, '/firstrun.sh').toString('utf8')
    expect(script).toContain('unit-42')
    expect(script).not.toContain('not in any log')
    expect(mtype(target, '/cmdline.txt').toString('utf8')).toContain('systemd.run=/boot/firstrun.sh')
    // The pin is in the database under the name the unit will answer as, before it ever boots.
    const app = createApp({ dataDir: dataDir() })
    try {
      const pinned = await app.dispatch('hostKeys.get', { target: 'unit-42.local' }, { transport: 'cli' })
      expect(pinned).toMatchObject({ ok: true, value: { host: 'unit-42.local', port: 22, fingerprint: row.firstBoot!.hostKeyFingerprint } })
      const job = await app.dispatch('jobs.get', { id: r.json!.jobId }, { transport: 'cli' })
      expect(JSON.stringify(job)).not.toContain('not in any log')
      const history = await app.dispatch('history.query', {}, { transport: 'cli' })
      expect(JSON.stringify(history)).toContain(`custom.img: verified, SHA-256 ${imageSha.slice(0, 16)}`)
    } finally {
      app.close()
    }
  })
})
