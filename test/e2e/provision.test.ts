// The Provision wizard in Chromium against a real station and a real OpenSSH server on 127.0.0.1
// (the SSH suites' fixture): devices -> profile -> variables -> dry-run diff. A dry run only reads
// (each step's check and plan; apply never runs), so it is safe against this machine's own sshd.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bannerServer } from '../helpers/banner-server'
import { projectRoot, runCli } from '../helpers/run-cli'
import { makeUserKey } from '../helpers/user-key'
import type { startStationProcess } from '../helpers/start-station'
import { startStationAndBrowser } from '../helpers/station-browser'
import { ensureTestUser, Sshd, sshdSkipReason, TEST_USER } from '../integration/ssh/sshd-fixture'
import { findFiles } from '../helpers/find-files'

const skip = sshdSkipReason()
const PASSWORD = 'first-contact-Pw-4417'
const shots = path.join(projectRoot, 'test-results')

let browser: Browser
let station: Awaited<ReturnType<typeof startStationProcess>>
let dataDir: string
let close: () => Promise<void>
let sshd: Sshd
const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args])
const jobCount = async () => (JSON.parse((await cli('jobs', '--json')).stdout) as unknown[]).length

beforeAll(async () => {
  if (skip) return
  ensureTestUser(PASSWORD)
  // No authorized keys: first contact is by password, as with a Pi fresh from its image.
  sshd = await Sshd.start([])
  ;({ station, browser, dataDir, close } = await startStationAndBrowser())
  mkdirSync(shots, { recursive: true })
  expect((await cli('devices', 'add', `${TEST_USER}@127.0.0.1:${sshd.port}`, '--name', 'bench-a')).code).toBe(0)
  expect((await cli('devices', 'add', 'pi@127.0.0.9:2299', '--name', 'door-lobby-01')).code).toBe(0)
})
afterAll(async () => {
  await close?.()
  await sshd?.dispose()
})

async function openWizard(lang: 'en' | 'zh' = 'en'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
  page.on('pageerror', (e) => {
    throw e
  })
  await page.goto(`${station.url}#/provision`)
  // The language is a setting shared by every window: set it the way a user does.
  const current = await page.locator('html').getAttribute('lang')
  if ((lang === 'zh') !== (current === 'zh-CN')) await page.locator('.sidebar-foot select').selectOption(lang)
  return page
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true })

/** A screenshot of the same screen in Simplified Chinese (once `ready` shows), then back to English. */
async function inChinese(page: Page, ready: () => ReturnType<Page['getByRole']>, name: string) {
  await page.locator('.sidebar-foot select').selectOption('zh')
  await expect.poll(() => ready().count()).toBe(1)
  await shot(page, name)
  await page.locator('.sidebar-foot select').selectOption('en')
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en')
}

describe.skipIf(skip !== null)('Provision wizard', () => {
  it('walks devices -> profile -> variables -> a dry-run diff read from a real unit, changing nothing', async () => {
    const page = await openWizard()
    const hostnameBefore = readFileSync('/etc/hostname', 'utf8')
    const keysFile = path.join('/home', TEST_USER, '.ssh', 'authorized_keys')
    const keysBefore = existsSync(keysFile) ? readFileSync(keysFile, 'utf8') : null

    // 1. Devices: pick one from the inventory, with the password of a unit never contacted before.
    await page.getByRole('checkbox', { name: /bench-a/ }).check()
    await page.getByLabel('Password for first contact (optional)').fill(PASSWORD)
    await expect.poll(() => page.getByText('1 unit chosen').count()).toBe(1)
    await shot(page, 'provision-1-devices')
    await page.getByRole('button', { name: 'Next' }).click()

    // 2. Profile and variables: bench-node needs a hostname; the governor has a default.
    await page.getByRole('combobox', { name: 'Profile' }).selectOption('bench-node')
    await expect.poll(() => page.getByLabel('hostname', { exact: true }).count()).toBe(1)
    expect(await page.getByLabel('governor', { exact: true }).inputValue()).toBe('performance')
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Needs a value')
    expect(await page.getByRole('button', { name: 'Dry run: show the changes' }).isDisabled()).toBe(true)
    await page.getByLabel('hostname', { exact: true }).fill('bench-07')
    await expect.poll(() => page.getByRole('alert').count()).toBe(0)
    await shot(page, 'provision-2-profile')
    await page.getByRole('button', { name: 'Dry run: show the changes' }).click()

    // 3. The diff, per device, as the unit is now: its real hostname -> bench-07, and our key to add.
    const report = page.locator('[data-testid="unit-report"][data-target="bench-a"]')
    await expect.poll(() => report.count(), { timeout: 30_000 }).toBe(1)
    const text = (await report.textContent()) ?? ''
    expect(text).toContain('would change')
    expect(text).toContain(`${hostnameBefore.trim()} → bench-07`)
    expect(text).toMatch(/Hostname bench-07/)
    expect(await page.getByRole('status').textContent()).toMatch(/^Dry run, nothing was changed: 1 unit would change, /)
    expect(await page.getByRole('button', { name: 'Apply the changes to 1 unit' }).isEnabled()).toBe(true)
    await shot(page, 'provision-3-dry-run')

    // Nothing changed on the unit, and the password was never shown back or stored.
    expect(readFileSync('/etc/hostname', 'utf8')).toBe(hostnameBefore)
    expect(existsSync(keysFile) ? readFileSync(keysFile, 'utf8') : null).toBe(keysBefore)
    expect(await page.content()).not.toContain(PASSWORD)
    for (const f of readdirSync(dataDir)) {
      if (/\.db(-wal)?$/.test(f)) expect(readFileSync(path.join(dataDir, f)).includes(PASSWORD)).toBe(false)
    }

    // The first contact made EdgeDock's own key: with it authorized, the device page's Model panel
    // reads what the unit runs (read-only: nothing is installed on this machine).
    const pub = findFiles(dataDir, /^id_ed25519\..*\.pub$/)[0]
    expect(pub).toBeDefined()
    writeFileSync(sshd.authorizedKeysFile, readFileSync(pub as string, 'utf8'))
    await page.goto(`${station.url}#/devices`)
    await page.getByRole('link', { name: 'bench-a' }).click()
    const panel = page.getByTestId('model-panel')
    await expect.poll(() => panel.getByTestId('model-current').textContent(), { timeout: 30_000 }).toBe('No model pushed yet')
    expect(await panel.textContent()).toContain('Runtimenot installed')
    await shot(page, 'device-page-model-panel')

    // The dry run is a job in History like any other.
    await page.goto(`${station.url}#/history`)
    await expect.poll(() => page.getByTestId('history-row').first().textContent()).toContain('Dry run bench-node on bench-a')
    await page.getByTestId('history-row').first().getByRole('button', { name: 'Details' }).click()
    await expect.poll(() => page.locator('[data-testid="unit-report"][data-target="bench-a"]').textContent()).toContain('bench-07')
    await shot(page, 'history-provision-details')
    await page.close()
  })

  it('refuses a hostname with ";" or "$(" in plain words and starts nothing', async () => {
    const page = await openWizard()
    const before = await jobCount()
    await page.getByRole('checkbox', { name: /door-lobby-01/ }).check()
    await page.getByRole('button', { name: 'Next' }).click()
    await page.getByRole('combobox', { name: 'Profile' }).selectOption('door-access-unit')
    await page.getByLabel('site', { exact: true }).fill('hq')
    await page.getByLabel('unit', { exact: true }).fill('01')
    await page.getByLabel('hostname', { exact: true }).fill('door;reboot')
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Contains the shell character ";"; remove it.')
    const dryRun = page.getByRole('button', { name: 'Dry run: show the changes' })
    expect(await dryRun.isDisabled()).toBe(true)
    await page.getByLabel('hostname', { exact: true }).fill('$(reboot)')
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Contains the shell character "$"; remove it.')
    // The profile's own pattern: site codes are [a-z0-9]{1,12}.
    await page.getByLabel('site', { exact: true }).fill('HQ-North')
    await expect.poll(() => page.getByRole('alert').allTextContents()).toContain('Does not match the pattern [a-z0-9]{1,12}.')
    await shot(page, 'provision-invalid-variables')
    expect(await dryRun.isDisabled()).toBe(true)
    await dryRun.click({ force: true })
    expect(await jobCount()).toBe(before)
    expect(await page.locator('[data-testid="unit-report"]').count()).toBe(0)
    await page.close()
  })

  it('ends a run in a per-unit summary, and "Retry failed" runs only the failed unit again', async () => {
    // A real (not dry) run, but against an address where nothing listens: the unit fails at connect,
    // so nothing anywhere is changed, and the whole path from run to retry is exercised.
    const page = await openWizard()
    await page.getByRole('checkbox', { name: /door-lobby-01/ }).check()
    await page.getByRole('button', { name: 'Next' }).click()
    await page.getByRole('combobox', { name: 'Profile' }).selectOption('bench-node')
    await page.getByLabel('hostname', { exact: true }).fill('bench-08')
    await page.getByRole('button', { name: 'Dry run: show the changes' }).click()
    const planned = page.locator('[data-testid="unit-report"][data-target="door-lobby-01"]')
    await expect.poll(() => planned.textContent(), { timeout: 30_000 }).toContain('failed')
    expect(await planned.textContent()).toMatch(/127\.0\.0\.9/)
    const before = await jobCount()
    await page.getByRole('button', { name: 'Apply the changes to 1 unit' }).click()

    // The run ends on its own in the summary: one unit, failed, in plain words, with a retry.
    const tiles = page.getByTestId('summary-tiles')
    await expect.poll(() => tiles.count(), { timeout: 30_000 }).toBe(1)
    expect(await tiles.textContent()).toMatch(/0changed0unchanged1failed or not run/)
    const report = page.locator('[data-testid="unit-report"][data-target="door-lobby-01"]')
    expect(await report.textContent()).toMatch(/failed.*127\.0\.0\.9/)
    expect(await report.textContent()).not.toMatch(/HOST_UNREACHABLE|SSH_CONNECTION_REFUSED/)
    await shot(page, 'provision-5-summary')
    await inChinese(page, () => page.getByRole('button', { name: '重试失败的 1 台设备' }), 'provision-5-summary-zh')
    expect(await jobCount()).toBe(before + 1)

    await page.getByRole('button', { name: 'Retry the failed unit' }).click()
    await expect.poll(() => jobCount(), { timeout: 30_000 }).toBe(before + 2)
    const jobs = JSON.parse((await cli('jobs', '--json')).stdout) as { title: string; kind: string }[]
    expect(jobs[0]?.kind).toBe('provision')
    expect(jobs[0]?.title).toBe('Provision bench-node on door-lobby-01')
    await expect.poll(() => page.getByTestId('summary-tiles').count(), { timeout: 30_000 }).toBe(1)

    // The device page shows the run as its last provisioning.
    await page.goto(`${station.url}#/devices`)
    await page.getByRole('link', { name: 'door-lobby-01' }).click()
    const last = page.getByTestId('device-provisioning')
    await expect.poll(() => last.locator('[data-testid="unit-report"]').count()).toBe(1)
    expect(await last.textContent()).toContain('Provision bench-node on door-lobby-01')
    await page.close()
  })

  it('shows a run live, unit by unit, and Cancel stops it', async () => {
    // A unit that accepts TCP and never speaks: connecting waits, which is long enough to see the
    // live view and to cancel. Nothing is ever sent to it.
    const silent = await bannerServer('hang')
    try {
      expect((await cli('devices', 'add', `pi@127.0.0.1:${silent.port}`, '--name', 'door-silent')).code).toBe(0)
      const page = await openWizard()
      await page.getByRole('checkbox', { name: /door-silent/ }).check()
      await page.getByRole('button', { name: 'Next' }).click()
      await page.getByRole('combobox', { name: 'Profile' }).selectOption('bench-node')
      await page.getByLabel('hostname', { exact: true }).fill('bench-09')
      await page.getByRole('button', { name: 'Dry run: show the changes' }).click()
      await page.getByRole('button', { name: 'Stop the dry run' }).click()
      const planned = page.locator('[data-testid="unit-report"][data-target="door-silent"]')
      await expect.poll(() => planned.textContent(), { timeout: 30_000 }).toContain('cancelled')

      await page.getByRole('button', { name: 'Apply the changes to 1 unit' }).click()
      const live = page.locator('[data-testid="live-unit"][data-target="door-silent"]')
      await expect.poll(() => live.count(), { timeout: 10_000 }).toBe(1)
      expect(await live.textContent()).toMatch(/waiting|working/)
      expect(await page.getByRole('progressbar', { name: 'Provisioning progress' }).getAttribute('aria-valuenow')).toBe('0')
      await shot(page, 'provision-4-run')
      await inChinese(page, () => page.getByRole('button', { name: '取消执行' }), 'provision-4-run-zh')
      await page.getByRole('button', { name: 'Cancel run' }).click()
      const tiles = page.getByTestId('summary-tiles')
      await expect.poll(() => tiles.count(), { timeout: 30_000 }).toBe(1)
      expect(await page.locator('[data-testid="unit-report"][data-target="door-silent"]').textContent()).toContain('cancelled')
      expect(await page.getByRole('button', { name: 'Retry the failed unit' }).count()).toBe(1)
      await page.close()
    } finally {
      await silent.close()
    }
  })

  it('takes a site plan (CSV) that gives each unit its own values', async () => {
    const page = await openWizard()
    const csv = path.join(dataDir, 'site-plan.csv')
    writeFileSync(csv, `# bench row 2\ntarget,hostname\n${TEST_USER}@127.0.0.1:${sshd.port},bench-csv-01\n`)
    await page.getByLabel('Site plan (CSV, optional)').setInputFiles(csv)
    await expect.poll(() => page.getByText('Loaded site-plan.csv').count()).toBe(1)
    await page.getByLabel('Password for first contact (optional)').fill(PASSWORD)
    await page.getByRole('button', { name: 'Next' }).click()
    await page.getByRole('combobox', { name: 'Profile' }).selectOption('bench-node')
    // The hostname comes from the site plan, so the empty field is not an error here.
    await expect.poll(() => page.getByRole('alert').count()).toBe(0)
    await page.getByRole('button', { name: 'Dry run: show the changes' }).click()
    const report = page.locator(`[data-testid="unit-report"][data-target="${TEST_USER}@127.0.0.1:${sshd.port}"]`)
    await expect.poll(() => report.count(), { timeout: 30_000 }).toBe(1)
    expect(await report.textContent()).toMatch(/site plan line 3.*→ bench-csv-01/)
    await page.close()
  })

  it('reads the same in Simplified Chinese, diff included', async () => {
    const page = await openWizard('zh')
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('配置')
    await page.getByRole('checkbox', { name: /bench-a/ }).check()
    await page.getByLabel('首次连接密码（可选）').fill(PASSWORD)
    await shot(page, 'provision-1-devices-zh')
    await page.getByRole('button', { name: '下一步' }).click()
    await page.getByRole('combobox', { name: '配置方案' }).selectOption('bench-node')
    await page.getByLabel('hostname', { exact: true }).fill('bench;07')
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('包含 shell 字符 ";"，请删除。')
    await shot(page, 'provision-2-profile-zh')
    await page.getByLabel('hostname', { exact: true }).fill('bench-07')
    await page.getByRole('button', { name: '预演：显示更改' }).click()
    const report = page.locator('[data-testid="unit-report"][data-target="bench-a"]')
    await expect.poll(() => report.count(), { timeout: 30_000 }).toBe(1)
    expect(await report.textContent()).toContain('将更改')
    // Step titles and the job title are made in core; they read in Chinese too.
    expect(await report.textContent()).toContain('主机名 bench-07')
    await expect.poll(() => page.locator('.jobs').first().textContent()).toContain('在 bench-a 上预演 bench-node')
    await shot(page, 'provision-3-dry-run-zh')
    await page.locator('.sidebar-foot select').selectOption('en')
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en')
    await page.close()
  })

  it('makes first contact with the technician\'s own key file, never showing or storing it', async () => {
    // Only this key is authorized now: a dry run that reads the unit proves the key was used.
    const key = makeUserKey(dataDir)
    writeFileSync(sshd.authorizedKeysFile, key.publicKey)
    const page = await openWizard()
    await page.getByRole('checkbox', { name: /bench-a/ }).check()
    await page.getByLabel('Your SSH key for first contact (optional)').setInputFiles(key.privateFile)
    await expect.poll(() => page.getByText('Using the key in id_tech for this run.').count()).toBe(1)
    await page.getByRole('button', { name: 'Next' }).click()
    await page.getByRole('combobox', { name: 'Profile' }).selectOption('bench-node')
    await page.getByLabel('hostname', { exact: true }).fill('bench-07')
    await page.getByRole('button', { name: 'Dry run: show the changes' }).click()
    const report = page.locator('[data-testid="unit-report"][data-target="bench-a"]')
    await expect.poll(() => report.count(), { timeout: 30_000 }).toBe(1)
    expect(await report.textContent()).toContain('would change')
    const secret = readFileSync(key.privateFile, 'utf8').split('\n')[1] as string
    expect(await page.content()).not.toContain(secret)
    for (const f of readdirSync(dataDir)) {
      if (/\.db(-wal)?$/.test(f)) expect(readFileSync(path.join(dataDir, f)).includes(secret)).toBe(false)
    }
    await page.close()
  })
})
