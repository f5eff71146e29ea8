// The Models page in Chromium: import by file picker (the station uploads the bytes), inspect, compare.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { projectRoot, runCli } from '../helpers/run-cli'
import type { startStationProcess } from '../helpers/start-station'
import { startStationAndBrowser } from '../helpers/station-browser'

let browser: Browser
let station: Awaited<ReturnType<typeof startStationProcess>>
let dataDir: string
let close: () => Promise<void>
let page: Page
const demo = path.join(projectRoot, 'resources', 'models', 'digits_cnn_fp32.onnx')

beforeAll(async () => {
  ;({ station, browser, dataDir, close } = await startStationAndBrowser())
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
  await page.goto(`${station.url}#/models`)
})
afterAll(() => close?.())

describe('Models page', () => {
  it('refuses a truncated model in plain words and stores nothing', async () => {
    const broken = path.join(dataDir, 'broken.onnx')
    const { readFileSync } = await import('node:fs')
    writeFileSync(broken, readFileSync(demo).subarray(0, 5000))
    await page.getByLabel('Choose ONNX files').setInputFiles(broken)
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/broken\.onnx.*not a complete ONNX model/)
    expect(JSON.parse((await runCli(['--data-dir', dataDir, 'models', 'list', '--json'])).stdout)).toEqual([])
  })

  it('imports the demo model, shows its precision and shape, and the CLI sees it', async () => {
    await page.getByLabel('Choose ONNX files').setInputFiles(demo)
    const row = page.locator('[data-testid="model-row"][data-model="digits_cnn_fp32@1"]')
    await expect.poll(() => row.count()).toBe(1)
    expect(await row.textContent()).toContain('FP32')
    expect(await row.textContent()).toContain('input [N×1×8×8]')
    await row.click()
    await expect.poll(() => page.getByTestId('model-precision').textContent()).toBe('fp32')
    const cli = JSON.parse((await runCli(['--data-dir', dataDir, 'models', 'list', '--json'])).stdout) as { sha256: string }[]
    expect(cli[0]?.sha256).toBe('bc860798bc7874ed5fc2b45753d75ad766bd55622edf75735dd3c6968ca6d76f')
  })

  it('compares two models on the shipped digits samples and shows accuracy and agreement', async () => {
    await page.getByRole('button', { name: 'Compare', exact: true }).click()
    const report = page.getByTestId('compare-report')
    await expect.poll(() => report.count(), { timeout: 30_000 }).toBe(1)
    const text = (await report.textContent()) ?? ''
    expect(text).toContain('97.00% (97/100)')
    expect(text).toContain('top-1 agreement 100.00% (100/100)')
    await page.screenshot({ path: path.join(projectRoot, 'test-results', 'models.png'), fullPage: true })
  })
})
