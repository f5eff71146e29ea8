// The writer helper as a real child process (node + tsx, no pkexec): the app side gets the same
// results as in-process, and bad protocol lines get an error line, not a crash.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { flashWithHelper, type HelperLaunch } from '../../../src/main/core/flash/helper-client'
import { HELPER_PROTOCOL_VERSION, MAX_LINE_BYTES } from '../../../src/main/core/flash/helper-protocol'
import { tempDir } from '../../helpers/temp-dir'
import { buildDiskImage, missingTools } from './disk-image'
import { head4k, sha256File } from './flash-fixture'

const HELPER = path.resolve('src/main/core/flash/writer-helper.ts')
const launch: HelperLaunch = { command: [process.execPath, '--import', 'tsx', HELPER], spawn: (cmd, args) => spawn(cmd, args, { stdio: 'pipe' }) }
const missing = missingTools()

function rawHelper() {
  const child = spawn(process.execPath, ['--import', 'tsx', HELPER], { stdio: 'pipe' })
  const lines: Record<string, unknown>[] = []
  let buf = ''
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    buf += c
    for (let nl = buf.indexOf('\n'); nl !== -1; nl = buf.indexOf('\n')) {
      lines.push(JSON.parse(buf.slice(0, nl)) as Record<string, unknown>)
      buf = buf.slice(nl + 1)
    }
  })
  const waitFor = async (n: number) => {
    for (let i = 0; i < 400 && lines.length < n; i++) await new Promise((r) => setTimeout(r, 25))
    return lines
  }
  return { child, lines, waitFor }
}

describe.skipIf(missing.length > 0)(`writer helper process${missing.length ? ` (skipped: missing ${missing.join(', ')})` : ''}`, () => {
  const tmp = tempDir('edgedock-flash-helper-')
  let image = ''
  beforeAll(() => {
    image = buildDiskImage(tmp.dir, { sizeMiB: 24, fatMiB: 8, fatFill: 1024 * 1024, extFill: 1024 * 1024 })
  })
  afterAll(() => tmp.cleanup())

  it('flashes two targets through the helper with progress', async () => {
    const targets = [path.join(tmp.dir, 'h-a.img'), path.join(tmp.dir, 'h-b.img')]
    const phases = new Set<string>()
    const results = await flashWithHelper({ source: image, targets }, launch, { onProgress: (p) => phases.add(p.phase) })
    for (const r of results) expect(r).toMatchObject({ verified: true, committed: true, error: null, sha256: sha256File(image) })
    expect(phases.has('verify')).toBe(true)
  })

  it('re-checks safety itself: a request to overwrite the source is refused by the helper', async () => {
    const before = sha256File(image)
    const [r] = await flashWithHelper({ source: image, targets: [image] }, launch)
    expect(r!.error?.code).toBe('FLASH_TARGET_HOLDS_SOURCE')
    expect(sha256File(image)).toBe(before)
  })

  it('cancels through the protocol and leaves the target unbootable', async () => {
    const target = path.join(tmp.dir, 'h-cancel.img')
    const abort = new AbortController()
    abort.abort()
    const [r] = await flashWithHelper({ source: image, targets: [target] }, launch, { signal: abort.signal })
    expect(r!.error?.code).toBe('FLASH_CANCELLED')
    expect(r!.committed).toBe(false)
    expect(head4k(target).every((b) => b === 0)).toBe(true)
  })

  it('answers malformed and oversized lines with an error line and keeps serving', async () => {
    const h = rawHelper()
    try {
      await h.waitFor(1)
      expect(h.lines[0]).toMatchObject({ type: 'hello', protocol: HELPER_PROTOCOL_VERSION })
      h.child.stdin.write('this is not json\n')
      h.child.stdin.write(`${JSON.stringify({ type: 'write', id: 'x', request: { source: 1 } })}\n`)
      h.child.stdin.write(`${'x'.repeat(MAX_LINE_BYTES + 10)}\n`)
      await h.waitFor(4)
      expect(h.lines.slice(1, 4).map((l) => (l.error as { code: string }).code)).toEqual(['FLASH_HELPER_PROTOCOL', 'FLASH_HELPER_PROTOCOL', 'FLASH_HELPER_PROTOCOL'])
      expect(String((h.lines[3]!.error as { detail: string }).detail)).toMatch(/too long/)
      const target = path.join(tmp.dir, 'h-after.img')
      h.child.stdin.write(`${JSON.stringify({ type: 'write', id: 'ok', request: { source: image, targets: [target] } })}\n`)
      for (let i = 0; i < 400 && !h.lines.some((l) => l.type === 'result'); i++) await new Promise((r) => setTimeout(r, 25))
      const result = h.lines.find((l) => l.type === 'result') as { results: { verified: boolean }[] }
      expect(result.results[0]!.verified).toBe(true)
    } finally {
      h.child.stdin.end()
      h.child.kill()
    }
  })
})
