// The Models page's rollout in Chromium through the station: three units picked, one ticked as the
// canary; the canary cannot be reached, so the other two are held back, never contacted, and the
// report says which unit got what and how to go on; in English and Chinese. Every address is on
// 127.0.0.0/8 (ports nothing listens on): nothing leaves this machine.
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closedPort } from '../helpers/banner-server'
import { projectRoot, runCli } from '../helpers/run-cli'
import type { startStationProcess } from '../helpers/start-station'
import { startStationAndBrowser } from '../helpers/station-browser'

let browser: Browser
let station: Awaited<ReturnType<typeof startStationProcess>>
let dataDir: string
let close: () => Promise<void>
let page: Page
const shots = path.join(projectRoot, 'test-results')
const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args])

beforeAll(async () => {
  ;({ station, browser, dataDir, close } = await startStationAndBrowser())
  const demo = path.join(projectRoot, 'resources', 'models', 'digits_cnn_fp32.onnx')
  expect((await cli('models', 'import', demo, '--name', 'digits', '--version', '3')).code).toBe(0)
  for (const name of ['door-01', 'door-02', 'door-03']) expect((await cli('devices', 'add', `pi@127.0.0.1:${await closedPort()}`, '--name', name)).code).toBe(0)
  page = await browser.newPage({ viewport: { width: 1400, height: 1400 } })
  page.on('pageerror', (e) => {
    throw e
  })
  await page.goto(`${station.url}#/models`)
})
afterAll(() => close?.())

describe('rollout from the Models page', () => {
  it('asks for a unit outside the canary, then stops after a failed canary and reports every unit', async () => {
    const card = page.getByTestId('rollout')
    await expect.poll(() => card.getByTestId('rollout-device').count()).toBe(3)
    for (const name of ['door-01', 'door-02', 'door-03']) await card.getByLabel(`Push to ${name}`).check()
    await card.getByLabel('door-01 is a canary').check()
    const start = card.getByRole('button', { name: 'Roll out to 3 units (1 canary first)' })
    expect(await start.isEnabled()).toBe(true)
    // Every unit a canary: nothing would be left for the rest, so it cannot start.
    await card.getByLabel('door-02 is a canary').check()
    await card.getByLabel('door-03 is a canary').check()
    await expect.poll(() => card.textContent()).toContain('Leave at least one unit out of the canary')
    expect(await card.getByRole('button', { name: /Roll out to 3 units/ }).isEnabled()).toBe(false)
    await card.getByLabel('door-02 is a canary').uncheck()
    await card.getByLabel('door-03 is a canary').uncheck()
    // A benchmark limit that is not a number is caught before anything starts.
    await card.getByLabel('Canary p90 at most (ms)').fill('fast')
    await expect.poll(() => card.textContent()).toContain('The p90 limit must be a positive number of milliseconds')
    expect(await start.isEnabled()).toBe(false)
    await card.getByLabel('Canary p90 at most (ms)').fill('60')

    await start.click()
    const report = card.getByTestId('rollout-report')
    await expect.poll(() => report.count(), { timeout: 60_000 }).toBe(1)
    expect(await report.getByRole('alert').textContent()).toMatch(/^Rollout stopped: the canary door-01 did not serve the new version\. The units after it were not contacted\..*already serving 3 are skipped\./)
    const rows = await report.getByTestId('rollout-row').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent?.trim() ?? '')))
    expect(rows.map((r) => [r[0], r[1], r[2]?.split(/(?<=failed|not started)/)[0]])).toEqual([
      ['door-01', 'canary', 'failed'],
      ['door-02', 'rest', 'not started'],
      ['door-03', 'rest', 'not started']
    ])
    // The failed canary says why in the unit's own words.
    expect(rows[0]?.[2]).toMatch(/^failed.*(refused|reach)/i)
    await page.screenshot({ path: path.join(shots, 'rollout.png'), fullPage: true })

    // History names the two units held back, and that they were not started.
    const history = JSON.parse((await cli('--json', 'history', '--limit', '10')).stdout) as { deviceName: string; summary: string }[]
    expect(history.filter((h) => /not started: the rollout stopped: the canary failed \(door-01\)/.test(h.summary)).map((h) => h.deviceName).sort()).toEqual(['door-02', 'door-03'])

    await page.locator('.sidebar-foot select').selectOption('zh')
    await expect.poll(() => report.getByRole('alert').textContent()).toMatch(/^推送已停止：金丝雀 door-01 未能运行新版本。/)
    expect(await report.textContent()).toContain('未开始')
    await page.screenshot({ path: path.join(shots, 'rollout-zh.png'), fullPage: true })
    await page.locator('.sidebar-foot select').selectOption('en')
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en')
  })
})
