// logs.query and logs.export through the one dispatch on a real app: pages of up to 5,000 read
// back and forth by row id with nothing skipped or repeated, filters, exports, and refusals.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createApp, type EdgeDockApp } from '../../../../src/main/app/create-app'
import { errorMessage, type ErrorCode } from '../../../../src/shared/errors'
import type { LogLineView } from '../../../../src/shared/contract-logs'
import { tempDir } from '../../../helpers/temp-dir'

let app: EdgeDockApp
let cleanup = () => {}
const N = 12_345

beforeAll(() => {
  const t = tempDir()
  cleanup = t.cleanup
  app = createApp({ dataDir: t.dir })
  const key = { deviceId: 'dev-a', selector: 'all' }
  for (let from = 1; from <= N; from += 1000) {
    const lines = Array.from({ length: Math.min(1000, N - from + 1) }, (_, i) => {
      const n = from + i
      return { unit: n % 3 === 0 ? 'ssh.service' : 'edgedock-inference.service', priority: n % 8, timeUs: (1_764_000_000_000 + n) * 1000, message: `entry ${n}${n % 1000 === 7 ? ' thermal throttle' : ''}`, cursor: `s=x;i=${n.toString(16)}`, bootId: null, jobId: n <= 10 ? 'job-1' : null }
    })
    app.services.store.logs.appendBatch(key, lines, lines.at(-1)?.cursor ?? null)
  }
})
afterAll(() => {
  app.close()
  cleanup()
})

const call = async (method: 'logs.query' | 'logs.export', input: unknown) => {
  const r = await app.dispatch(method, input, { transport: 'station' })
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error)
  return r.value as never
}
const num = (l: LogLineView) => Number(/^entry (\d+)/.exec(l.message)?.[1])

it('pages back from the newest and forward again, 5,000 at a time, with nothing skipped or repeated', async () => {
  const seen: number[] = []
  let page = (await call('logs.query', { limit: 5000 })) as { lines: LogLineView[]; total: number; hasOlder: boolean }
  expect(page.total).toBe(N)
  for (;;) {
    seen.unshift(...page.lines.map(num))
    if (!page.hasOlder) break
    page = await call('logs.query', { limit: 5000, beforeId: page.lines[0]?.id, total: false })
  }
  expect(seen).toEqual(Array.from({ length: N }, (_, i) => i + 1))
  const forward = (await call('logs.query', { afterId: 12_000, limit: 5000 })) as { lines: LogLineView[]; hasOlder: boolean }
  expect(forward.lines.map(num)).toEqual(Array.from({ length: N - 12_000 }, (_, i) => 12_001 + i))
  expect(forward.hasOlder).toBe(true)
})

it('filters by device, unit, priority, words, time and job, and counts what matches', async () => {
  const q = (f: object) => call('logs.query', { limit: 5000, ...f }) as Promise<{ lines: LogLineView[]; total: number }>
  expect((await q({ deviceId: 'dev-b' })).total).toBe(0)
  expect((await q({ unit: 'ssh.service' })).total).toBe(Math.floor(N / 3))
  expect((await q({ maxPriority: 0 })).lines.every((l) => l.priority === 0)).toBe(true)
  expect((await q({ text: 'thermal throttle' })).lines.map(num)).toEqual([7, 1007, 2007, 3007, 4007, 5007, 6007, 7007, 8007, 9007, 10007, 11007, 12007])
  expect((await q({ since: 1_764_000_000_000 + 100, until: 1_764_000_000_000 + 103 })).lines.map(num)).toEqual([100, 101, 102])
  expect((await q({ jobId: 'job-1' })).total).toBe(10)
})

it('exports what is filtered as text and as JSON', async () => {
  const text = (await call('logs.export', { format: 'text', text: 'throttle', maxPriority: 7 })) as { text: string; lines: number; truncated: boolean }
  expect(text.lines).toBe(13)
  expect(text.truncated).toBe(false)
  expect(text.text.split('\n')[0]).toBe('2025-11-24 16:00:00.007  dev-a  edgedock-inference.service  debug  entry 7 thermal throttle')
  const json = (await call('logs.export', { format: 'json', jobId: 'job-1' })) as { text: string }
  expect((JSON.parse(json.text) as LogLineView[]).map(num)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
})

it('refuses bad input with a plain message in English and Chinese, never a stack trace', async () => {
  for (const input of [{ limit: 5001 }, { maxPriority: 9 }, { afterId: 1, beforeId: 5 }, { since: 10, until: 5 }, { deviceId: 'x; rm -rf' }, { text: 'a'.repeat(501) }, { sql: '1' }]) {
    const r = await app.dispatch('logs.query', input, { transport: 'station' })
    expect(r.ok).toBe(false)
    if (r.ok) continue
    expect(r.error.code).toBe('INVALID_INPUT')
    expect(r.error.message).toMatch(/^That input is not valid: /)
    expect(r.error.message).not.toMatch(/\n\s+at /)
    expect(errorMessage(r.error.code as ErrorCode, 'zh', r.error.detail)).toMatch(/^输入无效：/)
  }
  const bad = await app.dispatch('logs.export', { format: 'csv' }, { transport: 'station' })
  expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
})
