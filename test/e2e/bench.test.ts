// The Benchmarks page in Chromium through the station: two runs of the shipped digits model on this
// computer (threads 1 and 2), their cells in the tables, a comparison, the latency chart, export,
// and the same screen in Chinese.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { projectRoot } from '../helpers/run-cli'
import type { startStationProcess } from '../helpers/start-station'
import { startStationAndBrowser } from '../helpers/station-browser'

let browser: Browser
let station: Awaited<ReturnType<typeof startStationProcess>>
let close: () => Promise<void>
let page: Page
const shots = path.join(projectRoot, 'test-results')
const demo = path.join(projectRoot, 'resources', 'models', 'digits_cnn_fp32.onnx')
const runIds: string[] = []

/** Calls the contract over the station's WebSocket from inside the page (its cookie, its origin). */
function call<T>(method: string, input: unknown): Promise<T> {
  return page.evaluate(
    ([m, i]) =>
      new Promise<T>((resolve, reject) => {
        const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`)
        ws.onopen = () => ws.send(JSON.stringify({ id: 1, method: m, input: i }))
        ws.onmessage = (e) => {
          const msg = JSON.parse(String(e.data)) as { id?: number; result?: { ok: boolean; value?: T; error?: unknown } }
          if (msg.id !== 1 || !msg.result) return
          ws.close()
          if (msg.result.ok) resolve(msg.result.value as T)
          else reject(new Error(JSON.stringify(msg.result.error)))
        }
        ws.onerror = () => reject(new Error('WebSocket error'))
      }),
    [method, input] as const
  )
}

/** Starts a benchmark and resolves when its job has ended (its jobs.updated event with finishedAt). */
function benchAndWait(input: unknown): Promise<{ runId: string; state: string }> {
  return page.evaluate(
    (i) =>
      new Promise<{ runId: string; state: string }>((resolve, reject) => {
        const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`)
        const ended = new Map<string, string>()
        let started: { jobId: string; runId: string } | null = null
        const settle = () => {
          const state = started && ended.get(started.jobId)
          if (started && state) {
            ws.close()
            resolve({ runId: started.runId, state })
          }
        }
        ws.onopen = () => ws.send(JSON.stringify({ id: 1, method: 'bench.start', input: i }))
        ws.onmessage = (e) => {
          const msg = JSON.parse(String(e.data)) as { id?: number; result?: { ok: boolean; value?: { jobId: string; runId: string }; error?: unknown }; event?: string; payload?: { id: string; state: string; finishedAt: number | null } }
          if (msg.id === 1 && msg.result) {
            if (!msg.result.ok) return reject(new Error(JSON.stringify(msg.result.error)))
            started = msg.result.value ?? null
          } else if (msg.event === 'jobs.updated' && msg.payload?.finishedAt) ended.set(msg.payload.id, msg.payload.state)
          settle()
        }
        ws.onerror = () => reject(new Error('WebSocket error'))
      }),
    input
  )
}

beforeAll(async () => {
  ;({ station, browser, close } = await startStationAndBrowser())
  page = await browser.newPage({ viewport: { width: 1600, height: 1100 } })
  await page.goto(`${station.url}#/benchmarks`)
  await page.getByRole('heading', { name: 'Benchmarks' }).waitFor()

  const bytes = readFileSync(demo).toString('base64')
  const upload = await page.evaluate(async (b64) => {
    const body = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
    const res = await fetch('/upload', { method: 'POST', body, credentials: 'same-origin' })
    return ((await res.json()) as { upload: string }).upload
  }, bytes)
  const imported = await call<{ record: { name: string; version: string } }>('models.import', { file: { upload }, name: 'digits_cnn_fp32' })
  const model = `${imported.record.name}@${imported.record.version}`
  for (const threads of [1, 2]) {
    const { runId, state } = await benchAndWait({ targets: ['host'], models: [model], runs: 30, durationS: 0, threads: [threads], label: `threads ${threads}` })
    expect(state).toBe('succeeded')
    runIds.push(runId)
  }
}, 240_000)
afterAll(() => close?.())

const runCard = (id: string) => page.locator(`[data-testid="bench-run"][data-run="${id}"]`)

describe('Benchmarks page', () => {
  it('lists both runs and shows each run\'s cell with its p50', async () => {
    await page.reload()
    const [first, second] = runIds as [string, string]
    await expect.poll(() => page.getByTestId('bench-history-row').count()).toBe(2)
    // The newest run opens by itself; the older one opens from the history list.
    await expect.poll(() => runCard(second).count()).toBe(1)
    await page.locator(`[data-testid="bench-history-row"][data-run="${first}"]`).click()
    for (const id of runIds) {
      const p50 = runCard(id).getByTestId('bench-p50')
      await expect.poll(() => p50.count()).toBe(1)
      expect(Number(await p50.textContent())).toBeGreaterThan(0)
      expect(await runCard(id).getByTestId('bench-cell').getAttribute('data-state')).toBe('done')
    }
    expect(await runCard(first).textContent()).toContain('threads 1')
    expect(await runCard(second).textContent()).toContain('threads 2')
  })

  it('compares a cell of each run and says whether the difference is beyond the noise', async () => {
    const [first, second] = runIds as [string, string]
    await runCard(first).getByRole('checkbox', { name: 'Select for the chart and comparison' }).check()
    await runCard(second).getByRole('checkbox', { name: 'Select for the chart and comparison' }).check()
    await page.getByRole('button', { name: 'Compare selected' }).click()
    const row = page.getByTestId('bench-compare-row')
    await expect.poll(() => row.count()).toBe(1)
    const text = (await row.textContent()) ?? ''
    expect(text).toMatch(/\d\.\d\d×/)
    expect(text).toMatch(/significant|within noise/)
    expect(text).toContain('t2')
  })

  it('draws the latency distribution of the selected cells and the comparison chart', async () => {
    const drawn = (testId: string) =>
      page.getByTestId(testId).locator('canvas').evaluate((c: HTMLCanvasElement) => {
        const ctx = c.getContext('2d')
        if (!ctx || c.width === 0 || c.height === 0) return 0
        const px = ctx.getImageData(0, 0, c.width, c.height).data
        let ink = 0
        for (let i = 3; i < px.length; i += 4) if ((px[i] as number) > 0) ink++
        return ink
      })
    await expect.poll(() => drawn('bench-cdf')).toBeGreaterThan(500)
    await expect.poll(() => drawn('bench-compare-chart')).toBeGreaterThan(500)
    const legend = (await page.getByTestId('bench-cdf').locator('.u-legend').textContent()) ?? ''
    expect(legend).toContain('host · digits_cnn_fp32@1 · t1 b1 #1')
    expect(legend).toContain('host · digits_cnn_fp32@1 · t2 b1 #1')
  })

  it('shows where a cell ran, with what the host cannot tell marked as not available', async () => {
    await runCard(runIds[0] as string).getByRole('button', { name: 'Show the environment' }).click()
    const env = (await page.getByTestId('bench-env').textContent()) ?? ''
    expect(env).toContain('onnxruntime')
    expect(env).toContain('Throttle flags')
    await page.screenshot({ path: path.join(shots, 'bench.png'), fullPage: true })
  })

  it('exports a run as CSV through a download', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), runCard(runIds[0] as string).getByRole('button', { name: 'Export CSV' }).click()])
    expect(download.suggestedFilename()).toMatch(/^edgedock-bench-.{8}\.csv$/)
    const file = await download.path()
    const csv = readFileSync(file, 'utf8')
    expect(csv.split('\r\n')[0]).toContain('p50_ms')
    expect(csv.split('\r\n').filter((l) => l !== '')).toHaveLength(2)
  })

  it('reads in Chinese', async () => {
    await page.locator('.sidebar-foot select').selectOption('zh')
    await page.getByRole('heading', { name: '比较' }).waitFor()
    expect(await page.getByTestId('bench-compare-row').textContent()).toMatch(/显著|在噪声范围内/)
    await page.screenshot({ path: path.join(shots, 'bench-zh.png'), fullPage: true })
    await page.locator('.sidebar-foot select').selectOption('en')
  })

  it('starts a run from the form with accuracy and the operator profile, and shows both', async () => {
    await page.getByLabel('Accuracy on the built-in digits set (100 labelled samples)').check()
    await page.getByLabel('Profile operators (one extra pass, slower)').check()
    await page.getByRole('button', { name: 'Start benchmark' }).click()
    const rows = page.getByTestId('bench-history-row')
    await expect.poll(() => rows.count()).toBe(3)
    const id = (await rows.first().getAttribute('data-run')) as string
    const cell = runCard(id).getByTestId('bench-cell')
    await expect.poll(() => cell.getAttribute('data-state'), { timeout: 80_000, interval: 500 }).toBe('done')
    expect(await cell.textContent()).toContain('97.0% (97/100)')
    await runCard(id).getByRole('button', { name: 'Show the environment' }).click()
    await expect.poll(() => runCard(id).getByTestId('bench-profile').locator('tbody tr').count()).toBeGreaterThan(0)
    await runCard(id).screenshot({ path: path.join(shots, 'bench-profile.png') })
  }, 100_000)

  it('cancels a long run with Cancel run and keeps the cell marked cancelled', async () => {
    await page.getByLabel('Preset').selectOption('standard')
    await page.getByRole('button', { name: 'Start benchmark' }).click()
    const rows = page.getByTestId('bench-history-row')
    await expect.poll(() => rows.count()).toBe(4)
    const id = (await rows.first().getAttribute('data-run')) as string
    const cell = runCard(id).getByTestId('bench-cell')
    await expect.poll(() => runCard(id).getByTestId('bench-progress').count(), { timeout: 30_000 }).toBe(1)
    await runCard(id).getByRole('button', { name: 'Cancel run' }).click()
    await expect.poll(() => cell.getAttribute('data-state'), { timeout: 30_000 }).toBe('cancelled')
    expect(await runCard(id).textContent()).toContain('cancelled')
    expect(await runCard(id).getByRole('button', { name: 'Cancel run' }).count()).toBe(0)
    await runCard(id).screenshot({ path: path.join(shots, 'bench-cancelled.png') })
  }, 60_000)
})
