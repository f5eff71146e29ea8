// The Logs page in Chromium through the station, over a database seeded before the station starts
// with half a million lines streamed through the core's ingest: the newest at the bottom, older
// pages loaded while scrolling up, filters by text, device and priority (with the time from typing
// to the result, measured), a gap marker, follow and pause, export, and the same screen in Chinese.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/main/app/create-app'
import { createLogsRepo } from '../../src/main/store/logs-repo'
import { openDatabase } from '../../src/main/store/open-database'
import { closedPort } from '../helpers/banner-server'
import { launchChromium } from '../helpers/browser'
import { projectRoot } from '../helpers/run-cli'
import { seedLogs } from '../helpers/seed-logs'
import { startStationProcess } from '../helpers/start-station'
import { tempDir } from '../helpers/temp-dir'

const N = Number(process.env.EDGEDOCK_LOGS_E2E_LINES ?? 500_000)
const SSH_LINES = 1000
const shots = path.join(projectRoot, 'test-results')
let browser: Browser
let station: Awaited<ReturnType<typeof startStationProcess>>
let page: Page
let dir: string
let cleanup = () => {}
const ids: Record<string, string> = {}
const measured: Record<string, number> = {}

const rows = () => page.getByTestId('log-row')
const lastRowText = async () => (await rows().last().textContent()) ?? ''
const total = () => page.getByTestId('logs-total').textContent()

/** Lines written by a unit while the page is open, through a connection of their own as the ingest does. */
function append(deviceId: string, messages: string[]): void {
  const db = openDatabase(path.join(dir, 'edgedock.db'))
  try {
    const lines = messages.map((message) => ({ unit: 'edgedock-inference.service', priority: 6, timeUs: Date.now() * 1000, message, cursor: null, bootId: null }))
    createLogsRepo(db).appendBatch({ deviceId, selector: 'all' }, lines, null)
  } finally {
    db.close()
  }
}

beforeAll(async () => {
  ;({ dir, cleanup } = tempDir())
  const app = createApp({ dataDir: dir })
  // Units nobody answers for: streaming from one shows it reconnecting, and nothing leaves the machine.
  for (const [name, port] of [['door-17', await closedPort()], ['door-18', await closedPort()]] as const) {
    const r = await app.dispatch('devices.add', { host: '127.0.0.1', port, name }, { transport: 'cli' })
    if (!r.ok) throw new Error(r.error.message)
    ids[name] = (r.value as { id: string }).id
  }
  app.close()
  const started = Date.now()
  await seedLogs(dir, [{ deviceId: ids['door-18'] as string, count: SSH_LINES, entry: (n) => ({ _SYSTEMD_UNIT: 'ssh.service', PRIORITY: '6', MESSAGE: `line ${n} Accepted publickey for pi from 10.0.0.${n % 250}` }) }])
  // A gap as a stream writes one when the unit's journal no longer holds its cursor.
  const db = openDatabase(path.join(dir, 'edgedock.db'))
  createLogsRepo(db).appendBatch({ deviceId: ids['door-18'] as string, selector: 'all' }, [{ kind: 'gap', unit: null, priority: null, timeUs: Date.now() * 1000, message: "The unit's journal no longer holds the last stored entry (rotated or vacuumed): lines in between may be missing.", cursor: null, bootId: null }], null)
  db.close()
  await seedLogs(dir, [{ deviceId: ids['door-17'] as string, count: N }])
  measured.seedMs = Date.now() - started
  station = await startStationProcess(dir)
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true })
}, 300_000)
afterAll(async () => {
  await browser?.close()
  await station?.stop()
  cleanup()
  console.log(`logs e2e (${N + SSH_LINES} lines): ${JSON.stringify(measured)}`)
})

describe('Logs page', () => {
  it('opens at the newest line and reads further back while scrolling up, a page at a time', async () => {
    const t0 = Date.now()
    await page.goto(`${station.url}#/logs`)
    await page.getByRole('heading', { name: 'Logs' }).waitFor()
    await expect.poll(total, { timeout: 30_000 }).toBe(`${N + SSH_LINES + 1} lines`)
    await expect.poll(lastRowText).toContain(`line ${N} inference latency ${N % 100} ms`)
    measured.openMs = Date.now() - t0
    expect(await lastRowText()).toContain('door-17')
    // Only what is on screen is in the page, however many lines there are.
    expect(await rows().count()).toBeLessThan(120)

    const list = page.getByTestId('logs-list')
    const firstNumber = async () => Number(/line (\d+) inference/.exec((await rows().first().textContent()) ?? '')?.[1])
    const before = await firstNumber()
    const t1 = Date.now()
    for (let i = 0; i < 3; i++) {
      await list.evaluate((el) => (el.scrollTop = 0))
      await page.waitForTimeout(150)
    }
    // Three pages further back, and the rows on screen are consecutive, oldest first.
    await expect.poll(firstNumber, { timeout: 15_000 }).toBeLessThan(before - 3000)
    measured.scrollBackMs = Date.now() - t1
    const shown = (await rows().allTextContents()).map((s) => Number(/line (\d+) inference/.exec(s)?.[1]))
    expect(shown).toEqual(shown.map((_, i) => (shown[0] as number) + i))
    expect(await page.getByText('Loading older lines…').count()).toBeLessThanOrEqual(1)

    // Back to the end: the newest line again.
    await list.evaluate((el) => (el.scrollTop = el.scrollHeight))
    await expect.poll(lastRowText).toContain(`line ${N} inference`)
  })

  it('filters by words in a blink, then by device and priority, and shows a gap where lines may be missing', async () => {
    const text = page.getByTestId('logs-text')
    const t0 = Date.now()
    await text.fill('latency 42')
    const matching = Math.floor((N + 58) / 100)
    await expect.poll(total, { timeout: 20_000, interval: 20 }).toBe(`${matching} matching lines`)
    await expect.poll(lastRowText, { interval: 20 }).toMatch(/inference latency 42 ms$/)
    measured.textFilterMs = Date.now() - t0
    const visible = await rows().allTextContents()
    expect(visible.length).toBeGreaterThan(10)
    expect(visible.every((r) => / latency 42 ms$/.test(r))).toBe(true)
    await page.screenshot({ path: path.join(shots, 'logs-filtered.png') })

    await text.fill('')
    const t1 = Date.now()
    await page.getByTestId('logs-device').selectOption({ label: 'door-18' })
    await expect.poll(total, { timeout: 20_000, interval: 20 }).toBe(`${SSH_LINES + 1} matching lines`)
    measured.deviceFilterMs = Date.now() - t1
    const gap = page.locator('.logs-marker')
    await expect.poll(() => gap.count()).toBe(1)
    expect(await gap.textContent()).toMatch(/door-18.*gap.*no longer holds the last stored entry/)
    expect(await rows().nth(-2).textContent()).toMatch(/door-18\s*ssh\.service\s*infoline 1000 Accepted publickey for pi/)

    await page.getByTestId('logs-device').selectOption({ label: 'door-17' })
    await page.getByTestId('logs-priority').selectOption('0')
    // Entry n has priority n % 8: emerg is every eighth.
    await expect.poll(total, { timeout: 20_000 }).toBe(`${Math.floor(N / 8)} matching lines`)
    expect((await rows().allTextContents()).every((r) => /emerg/.test(r))).toBe(true)
    await page.getByTestId('logs-priority').selectOption('')
    await expect.poll(total, { timeout: 20_000 }).toBe(`${N} matching lines`)
    await page.screenshot({ path: path.join(shots, 'logs.png') })
  })

  it('follows new lines as they are stored, and holds still while paused', async () => {
    append(ids['door-17'] as string, ['line 900001 fresh after open'])
    await expect.poll(lastRowText, { timeout: 10_000 }).toContain('fresh after open')
    await page.getByTestId('logs-follow').click()
    expect(await page.getByText('Paused: new lines are not added until you follow again.').count()).toBe(1)
    append(ids['door-17'] as string, ['line 900002 while paused'])
    await page.waitForTimeout(2500)
    expect(await lastRowText()).toContain('fresh after open')
    await page.getByTestId('logs-follow').click()
    await expect.poll(lastRowText, { timeout: 10_000 }).toContain('while paused')
  })

  it('streams a device over SSH and shows the stream as reconnecting while the unit does not answer', async () => {
    await page.getByTestId('logs-device').selectOption({ label: 'door-17' })
    await page.getByTestId('logs-stream-toggle').click()
    const badge = page.getByTestId('logs-stream')
    await expect.poll(() => badge.textContent(), { timeout: 20_000 }).toMatch(/^door-17 · whole journal: reconnecting/)
    await expect.poll(() => badge.getAttribute('title'), { timeout: 20_000 }).toMatch(/refused/)
    expect(await page.getByTestId('logs-stream-toggle').textContent()).toBe('Stop streaming')
    await page.screenshot({ path: path.join(shots, 'logs-stream.png') })
    await page.getByTestId('logs-stream-toggle').click()
    await expect.poll(() => badge.count()).toBe(0)
  })

  it('exports what is filtered', async () => {
    await page.getByTestId('logs-text').fill('Accepted publickey 10.0.0.7')
    await page.getByTestId('logs-device').selectOption('')
    await expect.poll(total, { timeout: 20_000 }).toBe('4 matching lines')
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('logs-export-text').click()])
    const file = await download.path()
    const lines = readFileSync(file, 'utf8').trim().split('\n')
    expect(lines).toHaveLength(4)
    expect(lines.every((l) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} {2}door-18 {2}ssh\.service {2}info {2}line \d+ Accepted publickey for pi from 10\.0\.0\.7$/.test(l))).toBe(true)
  })

  it('reads the same in Chinese', async () => {
    await page.getByTestId('logs-text').fill('')
    await page.locator('.sidebar-foot select').selectOption('zh')
    await page.getByRole('heading', { name: '日志' }).waitFor()
    await expect.poll(total, { timeout: 20_000 }).toBe(`${N + SSH_LINES + 3} 行`)
    expect(await page.getByTestId('logs-follow').textContent()).toBe('暂停')
    await page.getByTestId('logs-device').selectOption({ label: 'door-17' })
    await page.getByTestId('logs-stream-toggle').click()
    await expect.poll(() => page.getByTestId('logs-stream').textContent(), { timeout: 20_000 }).toMatch(/^door-17 · 整个日志: 正在重连/)
    await page.screenshot({ path: path.join(shots, 'logs-zh.png') })
    await page.getByTestId('logs-stream-toggle').click()
    await page.getByTestId('logs-device').selectOption('')
    await page.locator('.sidebar-foot select').selectOption('en')
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en')
  })
})
