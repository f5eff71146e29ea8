// The UI in a real browser (Debian's Chromium) against a real station process and a real database.
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { projectRoot, runCli } from '../helpers/run-cli'
import type { startStationProcess } from '../helpers/start-station'
import { startStationAndBrowser } from '../helpers/station-browser'

let browser: Browser
let station: Awaited<ReturnType<typeof startStationProcess>>
let dataDir: string
let close: () => Promise<void>
let page: Page
const shots = path.join(projectRoot, 'test-results')

beforeAll(async () => {
  ;({ station, browser, dataDir, close } = await startStationAndBrowser())
  mkdirSync(shots, { recursive: true })
})
afterAll(() => close?.())
beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1400, height: 860 } })
  page.on('pageerror', (e) => {
    throw e
  })
})

const address = (p: Page) => p.getByLabel('Address', { exact: true })

describe('station UI', () => {
  it('prints exactly one line, the URL with its token', () => {
    expect(station.stdout()).toMatch(/^EdgeDock station: http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+\n$/)
  })

  it('refuses a browser that has no token', async () => {
    const res = await page.goto(station.url.replace(/\?token=.*/, ''))
    expect(res?.status()).toBe(401)
    await page.close()
  })

  it('adds a device, shows it, and still has it after a reload', async () => {
    await page.goto(station.url)
    await address(page).fill('pi@127.0.0.1:2201')
    await page.getByLabel('Name (optional)').fill('door-lobby-01')
    await page.getByRole('button', { name: 'Add device' }).click()
    const row = page.locator('[data-testid="device-row"][data-device="door-lobby-01"]')
    await expect.poll(() => row.count()).toBe(1)
    expect(await row.textContent()).toContain('pi@127.0.0.1:2201')
    await page.reload()
    await expect.poll(() => row.count()).toBe(1)
    await page.screenshot({ path: path.join(shots, 'devices.png') })
    await page.close()
  })

  it('says plainly what is wrong with a bad address and adds nothing', async () => {
    await page.goto(station.url)
    await address(page).fill('pi@door;reboot')
    await page.getByRole('button', { name: 'Add device' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not a valid host name')
    const list = JSON.parse((await runCli(['--data-dir', dataDir, 'devices', 'list', '--json'])).stdout) as { host: string }[]
    expect(list.map((d) => d.host)).not.toContain('door;reboot')
    await page.close()
  })

  it('shares one inventory with the CLI, both ways, live', async () => {
    await page.goto(station.url)
    // CLI -> UI: the open page shows it without a reload.
    expect((await runCli(['--data-dir', dataDir, 'devices', 'add', 'pi@127.0.0.2:2202', '--name', 'from-cli'])).code).toBe(0)
    await expect.poll(() => page.locator('[data-device="from-cli"]').count(), { timeout: 10_000 }).toBe(1)
    // UI -> CLI.
    await address(page).fill('pi@127.0.0.3:2203')
    await page.getByLabel('Name (optional)').fill('from-ui')
    await page.getByRole('button', { name: 'Add device' }).click()
    await expect.poll(() => page.locator('[data-device="from-ui"]').count()).toBe(1)
    const list = JSON.parse((await runCli(['--data-dir', dataDir, 'devices', 'list', '--json'])).stdout) as { name: string }[]
    expect(list.map((d) => d.name)).toEqual(expect.arrayContaining(['from-cli', 'from-ui']))
    await page.close()
  })

  it('renames and removes a device from its row', async () => {
    await page.goto(station.url)
    const row = page.locator('[data-device="from-ui"]')
    await row.getByRole('button', { name: 'Rename' }).click()
    await row.getByRole('textbox').fill('door-east-02')
    await row.getByRole('button', { name: 'Save' }).click()
    const renamed = page.locator('[data-device="door-east-02"]')
    await expect.poll(() => renamed.count()).toBe(1)
    await renamed.getByRole('button', { name: 'Remove' }).click()
    await renamed.getByRole('button', { name: 'Remove' }).click()
    await expect.poll(() => renamed.count()).toBe(0)
    await page.goto(`${station.url}#/history`)
    await expect.poll(() => page.getByTestId('history-row').first().textContent()).toContain('Removed door-east-02')
    await page.close()
  })

  it('switches to Simplified Chinese and remembers it after a reload', async () => {
    await page.goto(station.url)
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh')
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('设备')
    await page.reload()
    await expect.poll(() => page.getByRole('link', { name: '历史' }).count()).toBe(1)
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN')
    await page.screenshot({ path: path.join(shots, 'devices-zh.png') })
    await page.getByRole('combobox', { name: '语言' }).selectOption('en')
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Devices')
    await page.close()
  })
})
