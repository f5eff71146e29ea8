// The Devices page in Chromium against a real station: filters by source, state and text; the
// network scan's progress in the page; a device's own page with its facts and its Model panel.
// Every address is on 127.0.0.0/8: nothing leaves this machine.
import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bannerServer, closedPort } from '../helpers/banner-server'
import { projectRoot, runCli } from '../helpers/run-cli'
import type { startStationProcess } from '../helpers/start-station'
import { startStationAndBrowser } from '../helpers/station-browser'

let browser: Browser
let station: Awaited<ReturnType<typeof startStationProcess>>
let dataDir: string
let close: () => Promise<void>
let sshLike: Awaited<ReturnType<typeof bannerServer>>
const shots = path.join(projectRoot, 'test-results')
const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args])
const names = (p: Page) => p.getByTestId('device-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-device')))

beforeAll(async () => {
  ;({ station, browser, dataDir, close } = await startStationAndBrowser())
  mkdirSync(shots, { recursive: true })
  sshLike = await bannerServer({ banner: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3' })
  const refused = await closedPort()
  expect((await cli('devices', 'add', `pi@127.0.0.1:${sshLike.port}`, '--name', 'bench-online')).code).toBe(0)
  expect((await cli('devices', 'add', `pi@127.0.0.1:${refused}`, '--name', 'door-offline')).code).toBe(0)
  expect((await cli('devices', 'add', 'pi@127.0.0.3:2203', '--name', 'usb-gadget')).code).toBe(0)
  expect((await cli('devices', 'add', 'pi@127.0.0.4:2204', '--name', 'lan-found')).code).toBe(0)
  // Where a unit was found is set by discovery (USB, mDNS, the SSH sweep); scanning is not what this
  // test is about, so the record says it directly.
  const db = new Database(path.join(dataDir, 'edgedock.db'))
  db.prepare('UPDATE devices SET sources = ? WHERE name = ?').run(JSON.stringify(['usb']), 'usb-gadget')
  db.prepare('UPDATE devices SET sources = ? WHERE name = ?').run(JSON.stringify(['ssh-sweep', 'mdns']), 'lan-found')
  db.close()
  const demo = path.join(projectRoot, 'resources', 'models', 'digits_cnn_fp32.onnx')
  expect((await cli('models', 'import', demo, '--name', 'digits', '--version', '3')).code).toBe(0)
  // A reachability check of these 127.0.0.x units only: one answers SSH, the others do not.
  expect((await cli('devices', 'check')).code).toBe(0)
})
afterAll(async () => {
  await close?.()
  await sshLike?.close()
})

async function open(hash = '#/devices'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
  page.on('pageerror', (e) => {
    throw e
  })
  await page.goto(`${station.url}${hash}`)
  return page
}

describe('Devices page', () => {
  it('filters by source, state and text, and says when nothing matches', async () => {
    const page = await open()
    await expect.poll(() => names(page).then((n) => n.length)).toBe(4)
    const source = page.getByRole('combobox', { name: 'Source' })
    const state = page.getByRole('combobox', { name: 'State' })
    await source.selectOption('usb')
    await expect.poll(() => names(page)).toEqual(['usb-gadget'])
    await source.selectOption('lan')
    await expect.poll(() => names(page)).toEqual(['lan-found'])
    await source.selectOption('manual')
    await expect.poll(() => names(page).then((n) => n.sort())).toEqual(['bench-online', 'door-offline'])
    await state.selectOption('online')
    await expect.poll(() => names(page)).toEqual(['bench-online'])
    expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toContain('1 of 4 devices')
    await state.selectOption('offline')
    await expect.poll(() => names(page)).toEqual(['door-offline'])
    await page.getByRole('searchbox').fill('bench')
    await expect.poll(() => page.getByRole('status').textContent()).toBe('No device matches these filters.')
    await state.selectOption('all')
    await source.selectOption('all')
    await expect.poll(() => names(page)).toEqual(['bench-online'])
    await page.close()
  })

  it('shows the network scan\'s progress in the page', async () => {
    const page = await open()
    // The scan is started over the page's own connection, on loopback only (127.0.0.0/18), never
    // with the "Scan network" button, which would sweep this machine's real LAN.
    await page.evaluate(() => {
      const ws = new WebSocket(`ws://${location.host}/ws`)
      ws.onopen = () => ws.send(JSON.stringify({ id: 1, method: 'discovery.scan', input: { subnets: ['127.0.0.0/18'], mdns: false } }))
    })
    const progress = page.getByTestId('scan-progress')
    await expect.poll(() => progress.count(), { timeout: 20_000, interval: 50 }).toBe(1)
    expect(await progress.textContent()).toMatch(/Scanning the network.*running/)
    await expect.poll(() => progress.textContent(), { timeout: 20_000, interval: 50 }).toMatch(/\d+%.*\/s.*left/)
    await page.screenshot({ path: path.join(shots, 'devices-scan-progress.png') })
    await progress.getByRole('button', { name: 'Cancel' }).click()
    await expect.poll(() => progress.count(), { timeout: 20_000 }).toBe(0)
    await page.close()
  })

  it('opens a device with its facts and a Model panel that says in plain words why the unit cannot be read', async () => {
    const page = await open()
    await page.getByRole('link', { name: 'door-offline' }).click()
    const detail = page.getByTestId('device-detail')
    await expect.poll(() => detail.getByRole('heading', { level: 1 }).textContent()).toBe('door-offline')
    expect(await page.getByTestId('device-facts').textContent()).toContain('manual')
    const error = page.getByTestId('model-status-error')
    await expect.poll(() => error.count(), { timeout: 30_000 }).toBe(1)
    const text = (await error.textContent()) ?? ''
    expect(text).toMatch(/^Could not read what this unit runs\. .*127\.0\.0\.1:\d+ refused the connection/)
    expect(text).not.toMatch(/[A-Z]{3,}_[A-Z_]+|INTERNAL|undefined/)
    expect(await page.getByTestId('device-provisioning').textContent()).toContain('Not provisioned by EdgeDock yet.')

    // A push to a unit that does not answer: the job shows in the panel and ends in plain words.
    const panel = page.getByTestId('model-panel')
    expect(await panel.getByRole('combobox', { name: 'Model from the library' }).inputValue()).toBe('digits@3')
    await panel.getByRole('button', { name: 'Push' }).click()
    const transfer = panel.getByTestId('transfer')
    await expect.poll(() => transfer.locator('.pill').textContent(), { timeout: 30_000 }).toBe('failed')
    expect(await transfer.getByRole('alert').textContent()).toMatch(/127\.0\.0\.1:\d+ refused the connection/)
    await page.screenshot({ path: path.join(shots, 'device-page.png'), fullPage: true })

    await page.locator('.sidebar-foot select').selectOption('zh')
    await expect.poll(() => error.textContent(), { timeout: 30_000 }).toMatch(/^无法读取此设备运行的内容。/)
    await page.screenshot({ path: path.join(shots, 'device-page-zh.png'), fullPage: true })
    await page.locator('.sidebar-foot select').selectOption('en')
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en')

    // From the device to the Provision wizard, with this device already picked.
    await page.getByRole('link', { name: 'Provision…' }).click()
    await expect.poll(() => page.getByRole('checkbox', { name: /door-offline/ }).isChecked()).toBe(true)
    expect(await page.getByRole('checkbox', { name: /bench-online/ }).isChecked()).toBe(false)
    await page.close()
  })
})
