// The Models page's Quantize action in Chromium through the station: the suggested method for the
// demo digits CNN, a static INT8 job calibrated on the shipped samples, the result card beside the
// original, the new version in the library with its lineage; screenshots in English and Chinese.
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
const shots = path.join(projectRoot, 'test-results')
const cli = async (...args: string[]) => JSON.parse((await runCli(['--data-dir', dataDir, ...args, '--json'])).stdout) as unknown

beforeAll(async () => {
  ;({ station, browser, dataDir, close } = await startStationAndBrowser())
  expect((await runCli(['--data-dir', dataDir, 'models', 'import', demo, '--name', 'digits'])).code).toBe(0)
  page = await browser.newPage({ viewport: { width: 1400, height: 1100 } })
  page.on('pageerror', (e) => {
    throw e
  })
  await page.goto(`${station.url}#/models`)
})
afterAll(() => close?.())

describe('Quantize on the Models page', () => {
  it('will not start static INT8 without a calibration set, and says what to choose instead', async () => {
    await page.getByRole('button', { name: 'Quantize a model' }).click()
    await page.getByLabel('Method').selectOption('static')
    await page.getByLabel('Calibration set').selectOption('none')
    await expect.poll(() => page.getByTestId('quantize-needs-calibration').textContent()).toMatch(/^Static INT8 needs a calibration set .*dynamic INT8 or FP16/)
    expect(await page.getByRole('button', { name: 'Quantize', exact: true }).isDisabled()).toBe(true)
    await page.screenshot({ path: path.join(shots, 'quantize-needs-calibration.png'), fullPage: true })
    await page.locator('.sidebar-foot select').selectOption('zh')
    await expect.poll(() => page.getByTestId('quantize-needs-calibration').textContent()).toMatch(/^静态 INT8 需要/)
    await page.screenshot({ path: path.join(shots, 'quantize-needs-calibration-zh.png'), fullPage: true })
    await page.locator('.sidebar-foot select').selectOption('en')
    // Back to a calibration set: the refusal goes and the button can be used again.
    await page.getByLabel('Calibration set').selectOption('demo')
    await expect.poll(() => page.getByTestId('quantize-needs-calibration').count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Quantize', exact: true }).isDisabled()).toBe(false)
    expect(((await cli('models', 'list')) as unknown[]).length).toBe(1)
    await page.reload()
  })

  it('suggests static INT8, runs it on the shipped samples and shows FP32 and INT8 side by side', async () => {
    await page.getByRole('button', { name: 'Quantize a model' }).click()
    await expect.poll(() => page.getByTestId('quantize-advice').textContent()).toMatch(/^Suggested: Static INT8 \(calibrated\)\. Mostly convolutions \(2 Conv, 2 MatMul\/Gemm\)/)
    expect(await page.getByLabel('Method').inputValue()).toBe('static')
    await page.getByRole('button', { name: 'Quantize', exact: true }).click()
    const result = page.getByTestId('quantize-result')
    await expect.poll(() => result.count(), { timeout: 30_000 }).toBe(1)
    const text = (await result.textContent()) ?? ''
    expect(text).toMatch(/Stored digits@2 \(0\.3\d× of the size\)/)
    expect(text).toContain('digits@1 (original)')
    expect(text).toMatch(/digits@2 \(Static INT8 \(calibrated\)\).*97\.00%/)
    expect(text).toMatch(/Top-1 agreement 100\.00%/)
    // The op histogram: the convolutions stay, QuantizeLinear/DequantizeLinear pairs appear around them.
    await page.getByText('Operators before and after').click()
    const ops = page.getByTestId('quantize-ops')
    const row = (op: string) => ops.locator('tbody tr', { has: page.locator('td.name', { hasText: new RegExp(`^${op}$`) }) }).locator('td').allTextContents()
    expect(await row('Conv')).toEqual(['Conv', '2', '2'])
    const [, qBefore, qAfter] = await row('QuantizeLinear')
    expect([qBefore, Number(qAfter) > 0]).toEqual(['0', true])
    await page.screenshot({ path: path.join(shots, 'quantize.png'), fullPage: true })

    // The new version is in the library, with where it came from.
    const lineage = (await cli('models', 'lineage', 'digits@2')) as { lineage: { method: string; parentRef: string } }
    expect(lineage.lineage).toMatchObject({ method: 'static', parentRef: 'digits@1' })
    await expect.poll(() => page.locator('[data-testid="model-row"][data-model="digits@2"]').count()).toBe(1)

    await page.locator('.sidebar-foot select').selectOption('zh')
    await expect.poll(() => page.getByTestId('quantize-result').textContent()).toContain('已保存 digits@2')
    await expect.poll(() => page.getByTestId('quantize-advice').textContent()).toMatch(/^建议：静态 INT8（需校准）。以卷积为主/)
    expect(await page.getByTestId('quantize-ops').locator('summary').textContent()).toBe('量化前后的算子')
    await page.screenshot({ path: path.join(shots, 'quantize-zh.png'), fullPage: true })
    await page.locator('.sidebar-foot select').selectOption('en')
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en')
  })
})
