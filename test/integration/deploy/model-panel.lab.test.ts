// The device page's Model panel against a lab Pi, in Debian's Chromium: install the runtime with one
// click, push a model from the library with the transfer's bytes, rate and time left live on the page,
// see what the unit serves, roll back. The station and the browser both run inside the lab's
// namespace, as a technician's laptop on the Pi's LAN would: the page talks to the station on that
// namespace's own 127.0.0.1, the station to the Pi over SSH with EdgeDock's key (installed by a
// key-only provisioning first, as the UI never handles the image's password for a push).
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../../src/main/app/create-app'
import { cmd } from '../../../src/main/core/ssh/remote-command'
import { CHROMIUM, launchChromium } from '../../helpers/browser'
import { projectRoot } from '../../helpers/run-cli'
import { startStationProcess } from '../../helpers/start-station'
import { tempDir } from '../../helpers/temp-dir'
import * as lab from '../../lab'
import { labSkipReason, releaseLab, useLab } from '../../lab/vitest'
import { run } from '../provision/lab-channel'
import { digitsFile, digitsVariant, edgedock, edgedockInLab, PW_ENV, prepareDataDir, removeEdgeDock } from './deploy-lab'

const skip = labSkipReason({ full: 1, net: 'ns' })
if (skip) console.warn(`[lab] model panel suite skipped: ${skip}`)

const NAME = 'door-lab-ui'
const shots = path.join(projectRoot, 'test-results')
const keyOnly = path.join(projectRoot, 'test/integration/provision/profiles/key-only.yaml')

describe.skipIf(skip)(`the Model panel on a lab Pi${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let pi: lab.InventoryEntry
  let station: Awaited<ReturnType<typeof startStationProcess>> | undefined
  let browser: Browser | undefined
  let page: Page
  let panel: Locator
  const data = tempDir('edgedock-model-panel-')

  /** What the unit itself says it serves, asked from the lab LAN (not through EdgeDock). */
  const servedVersion = async () => {
    const r = await run(lab.inLabArgv(['curl', '-sS', '--max-time', '10', `http://${pi.ip}:8080/health`]), undefined, 20_000)
    return r.code === 0 ? (JSON.parse(r.stdout) as { model?: { version?: string } }).model?.version : undefined
  }
  /** Waits for the job the panel shows now (by its title) to end, and checks how it ended. */
  const transferEnds = async (title: RegExp, state = 'done', timeout = 300_000) => {
    const transfer = panel.getByTestId('transfer')
    await expect.poll(() => transfer.locator('.job-title').textContent({ timeout: 1000 }).catch(() => ''), { timeout: 30_000 }).toMatch(title)
    await expect.poll(() => transfer.locator('.pill').textContent(), { timeout, interval: 500 }).toMatch(/^(done|failed|cancelled)$/)
    const alert = (await transfer.getByRole('alert').count()) > 0 ? await transfer.getByRole('alert').textContent() : ''
    expect(await transfer.locator('.pill').textContent(), alert ?? '').toBe(state)
  }
  const serving = () => panel.getByTestId('model-current').textContent()

  beforeAll(async () => {
    pi = (await useLab({ full: 1, net: 'ns' })).find((u) => u.kind === 'full') as lab.InventoryEntry
    // A unit with no EdgeDock on it, whatever an earlier suite left: the page's first step installs the runtime.
    expect((await removeEdgeDock(pi.name)).code).toBe(0)
    mkdirSync(shots, { recursive: true })
    await prepareDataDir(data.dir)
    const app = createApp({ dataDir: data.dir })
    try {
      await app.services.models.import(digitsFile, { name: 'digits', version: '1' })
      await app.services.models.import(digitsVariant(data.dir, 2), { name: 'digits', version: '2' })
    } finally {
      app.close()
    }
    expect((await edgedock(data.dir, ['devices', 'add', `${pi.user}@${pi.ip}`, '--name', NAME])).code).toBe(0)
    // First contact by password (host key pinned), EdgeDock's key installed: from now on the UI needs no password.
    const first = await edgedockInLab(data.dir, ['provision', NAME, '--profile', keyOnly, '--password-env', PW_ENV])
    expect(first.code, first.stderr.slice(-2000)).toBe(0)

    station = await startStationProcess(data.dir, [], lab.inLabArgv)
    // Playwright talks to Chromium over pipes, so a wrapper that enters the namespace first is enough.
    const wrapper = path.join(data.dir, 'chromium-in-lab')
    writeFileSync(wrapper, `#!/bin/sh\nexec ${cmd(lab.inLabArgv([CHROMIUM])).line} "$@"\n`)
    chmodSync(wrapper, 0o755)
    browser = await launchChromium(wrapper)
    page = await browser.newPage({ viewport: { width: 1400, height: 1100 } })
    page.on('pageerror', (e) => {
      throw e
    })
    const devices = JSON.parse((await edgedock(data.dir, ['--json', 'devices', 'list'])).stdout) as { id: string; name: string }[]
    await page.goto(`${station.url}#/devices/${devices.find((d) => d.name === NAME)?.id}`)
    panel = page.getByTestId('model-panel')
  }, 900_000)

  afterAll(async () => {
    await browser?.close()
    await station?.stop()
    if (pi) {
      await lab.shape(pi.name, undefined).catch(() => undefined)
      // Later suites expect a unit as fresh as the lab made it: no EdgeDock, no key of ours.
      await removeEdgeDock(pi.name, { keys: true }).catch(() => undefined)
    }
    await releaseLab()
    data.cleanup()
  }, 300_000)

  it('installs the runtime with one click, then pushes a model with bytes, rate and time left on the page', async () => {
    await expect.poll(() => panel.textContent(), { timeout: 60_000 }).toContain('not installed')
    await panel.getByRole('button', { name: 'Install runtime' }).click()
    await transferEnds(/^Install the EdgeDock runtime/, 'done', 600_000)
    await expect.poll(() => panel.locator('dd.mono').textContent(), { timeout: 60_000 }).toMatch(/^node22\./)

    // A slow link (a site's Wi-Fi), so the transfer is on screen long enough to read.
    await lab.shape(pi.name, { rate: '300kbit' })
    try {
      await panel.getByRole('combobox', { name: 'Model from the library' }).selectOption('digits@1')
      await panel.getByRole('button', { name: 'Push' }).click()
      const transfer = panel.getByTestId('transfer')
      await expect.poll(() => transfer.locator('.job-title').textContent({ timeout: 1000 }).catch(() => ''), { timeout: 30_000 }).toMatch(/^Push digits 1 /)
      const meta = transfer.locator('.job-meta')
      // Mid-transfer: bytes written on the unit of all, percent, rate and time left, as dd reports them.
      await expect.poll(() => meta.textContent({ timeout: 1000 }).catch(() => ''), { timeout: 120_000, interval: 250 }).toMatch(/^0\.\d+ MB of 0\.15 MB\d+%\d+(\.\d)? KB\/s\d+s left/)
      expect(await panel.getByRole('progressbar', { name: 'Transfer progress' }).getAttribute('aria-valuenow')).toMatch(/^\d+$/)
      await page.screenshot({ path: path.join(shots, 'model-panel-pushing.png'), fullPage: true })
      await transferEnds(/^Push digits 1 /)
    } finally {
      await lab.shape(pi.name, undefined)
    }
    await expect.poll(serving, { timeout: 60_000 }).toMatch(/^digits@1 /)
    expect(await servedVersion()).toBe('1')
  }, 900_000)

  it('pushes a second version, then rolls back to the first from the panel; the unit serves what the page says', async () => {
    await panel.getByRole('combobox', { name: 'Model from the library' }).selectOption('digits@2')
    await panel.getByRole('button', { name: 'Push' }).click()
    await transferEnds(/^Push digits 2 /)
    await expect.poll(serving, { timeout: 60_000 }).toMatch(/^digits@2 /)
    expect(await servedVersion()).toBe('2')
    // Version 2 differs from 1 in a few bytes: only those went over the link, and the panel says so.
    const sent = panel.getByTestId('transfer-sent')
    expect(await sent.textContent()).toMatch(/^Sent \d+ B of 155 KB \(delta from 1\)$/)
    await page.screenshot({ path: path.join(shots, 'model-panel-delta.png'), fullPage: true })
    await page.locator('.sidebar-foot select').selectOption('zh')
    await expect.poll(() => sent.textContent()).toMatch(/^已发送 \d+ B，共 155 KB（基于 1 的增量）$/)
    await page.screenshot({ path: path.join(shots, 'model-panel-delta-zh.png'), fullPage: true })
    await page.locator('.sidebar-foot select').selectOption('en')
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en')
    await expect.poll(() => panel.getByTestId('model-version').count(), { timeout: 30_000 }).toBe(2)

    await panel.getByRole('button', { name: 'Roll back', exact: true }).click()
    await transferEnds(/^Roll back /)
    await expect.poll(serving, { timeout: 60_000 }).toMatch(/^digits@1 /)
    expect(await servedVersion()).toBe('1')
    // The panel's model history: the two pushes, the rollback and the runtime, newest first.
    const history = panel.locator('.mp-history + ul li')
    await expect.poll(() => history.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(4)
    expect(await history.first().textContent()).toMatch(/Rolled back from 2 to digits 1 \(sha256 [0-9a-f]{64}\); serving it; by /)
    await page.screenshot({ path: path.join(shots, 'model-panel-rolled-back.png'), fullPage: true })
  }, 600_000)
})
