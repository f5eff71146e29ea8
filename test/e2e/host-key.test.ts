// A unit's SSH host key changes (as after a reflash) and the technician trusts the new one from the
// device page, in Chromium against a real station and a real OpenSSH server on 127.0.0.1 (the SSH
// suites' fixture, restarted with a new host key). Also: a unit that lost its address is shown as
// such and offers nothing that would connect to it. Every address is on 127.0.0.0/8.
import Database from 'better-sqlite3'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { projectRoot, runCli } from '../helpers/run-cli'
import type { startStationProcess } from '../helpers/start-station'
import { startStationAndBrowser } from '../helpers/station-browser'
import { ensureTestUser, Sshd, sshdSkipReason, TEST_USER } from '../integration/ssh/sshd-fixture'
import { findFiles } from '../helpers/find-files'

const skip = sshdSkipReason()
const PASSWORD = 'host-key-Pw-5521'
const shots = path.join(projectRoot, 'test-results')

let browser: Browser
let station: Awaited<ReturnType<typeof startStationProcess>>
let dataDir: string
let close: () => Promise<void>
let sshd: Sshd
const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args])
const deviceId = async (name: string) =>
  ((JSON.parse((await cli('devices', 'list', '--json')).stdout) as { id: string; name: string }[]).find((d) => d.name === name) as { id: string }).id
const history = async () => JSON.parse((await cli('history', '--json')).stdout) as { kind: string; summary: string }[]

beforeAll(async () => {
  if (skip) return
  ensureTestUser(PASSWORD)
  sshd = await Sshd.start([])
  ;({ station, browser, dataDir, close } = await startStationAndBrowser())
  mkdirSync(shots, { recursive: true })
  expect((await cli('devices', 'add', `${TEST_USER}@127.0.0.1:${sshd.port}`, '--name', 'bench-hk')).code).toBe(0)
  expect((await cli('devices', 'add', 'pi@127.0.0.6', '--name', 'door-moved')).code).toBe(0)
  const demo = path.join(projectRoot, 'resources', 'models', 'digits_cnn_fp32.onnx')
  expect((await cli('models', 'import', demo, '--name', 'digits', '--version', '3')).code).toBe(0)
  // What discovery stores when a unit's address went to another unit (apply-observations.ts);
  // the scan itself is not what this test is about, so the record says it directly.
  const db = new Database(path.join(dataDir, 'edgedock.db'))
  db.prepare("UPDATE devices SET host = 'no-address:' || id, previous_host = '127.0.0.6', state = 'offline' WHERE name = ?").run('door-moved')
  db.close()
})
afterAll(async () => {
  await close?.()
  await sshd?.dispose()
})

async function open(hash: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
  page.on('pageerror', (e) => {
    throw e
  })
  await page.goto(`${station.url}${hash}`)
  return page
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true })

describe.skipIf(skip !== null)('A changed SSH host key', () => {
  it('explains it with both fingerprints, refuses a stale one, and trusts the new key after a confirmation', async () => {
    const page = await open(`#/devices/${await deviceId('bench-hk')}`)
    const facts = page.getByTestId('device-facts')
    const panel = page.getByTestId('model-panel')
    const card = page.getByTestId('device-host-key')

    // First contact: the Model panel's read pins the unit's key (trust on first use), shown in the facts.
    const first = sshd.fingerprint()
    await expect.poll(() => facts.getByTestId('pinned-key').textContent(), { timeout: 30_000 }).toContain(`ssh-ed25519 ${first}`)
    // With EdgeDock's own key authorized (made at that first contact) the unit can be read.
    writeFileSync(sshd.authorizedKeysFile, readFileSync(findFiles(dataDir, /^id_ed25519\..*\.pub$/)[0] as string, 'utf8'))
    await panel.getByRole('button', { name: 'Refresh' }).click()
    await expect.poll(() => panel.getByTestId('model-current').textContent(), { timeout: 30_000 }).toBe('No model pushed yet')
    expect(await card.count()).toBe(0)

    // The unit is "reflashed": a new host key. A push stops before logging in, in plain words.
    await sshd.regenerateHostKey()
    const second = sshd.fingerprint()
    expect(second).not.toBe(first)
    await panel.getByRole('button', { name: 'Push' }).click()
    await expect.poll(() => panel.getByTestId('transfer').locator('.pill').textContent(), { timeout: 30_000 }).toBe('failed')
    expect(await panel.getByTestId('transfer').getByRole('alert').textContent()).toBe('Its SSH key changed; see "SSH key changed" at the top of this page.')
    await expect.poll(() => card.getByTestId('host-key-changed').count()).toBe(1)
    const notice = (await card.textContent()) ?? ''
    expect(notice).toContain('SSH key changed')
    expect(notice).toContain(`The unit at 127.0.0.1:${sshd.port} now presents a different SSH host key`)
    expect(notice).toContain('EdgeDock stopped before sending any password or key; nothing was changed on the unit.')
    expect(notice).toMatch(/expected if the unit was reflashed.*Otherwise another machine may be pretending to be this unit/)
    expect(notice).not.toMatch(/[A-Z]{3,}_[A-Z_]+|undefined/)
    expect(await card.getByTestId('hk-pinned').textContent()).toBe(`ssh-ed25519 ${first}`)
    expect(await card.getByTestId('hk-offered').textContent()).toBe(`ssh-ed25519 ${second}`)
    // The jobs panel says the same about the failed push, with the same way past it.
    expect(await page.locator('.jobs').getByTestId('hk-offered').textContent()).toBe(`ssh-ed25519 ${second}`)
    await shot(page, 'host-key-changed')
    await page.locator('.sidebar-foot select').selectOption('zh')
    await expect.poll(() => card.locator('.hk-title').textContent()).toBe('SSH 密钥已变化')
    expect(await card.textContent()).toContain('EdgeDock 在发送任何密码或密钥之前已停止')
    await shot(page, 'host-key-changed-zh')
    await page.locator('.sidebar-foot select').selectOption('en')
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en')

    // A provisioning dry run stops the same way; its per-unit report says so with the same notice.
    const wizard = await open('#/provision/bench-hk')
    await wizard.getByRole('button', { name: 'Next' }).click()
    await wizard.getByRole('combobox', { name: 'Profile' }).selectOption('bench-node')
    await wizard.getByLabel('hostname', { exact: true }).fill('bench-07')
    await wizard.getByRole('button', { name: 'Dry run: show the changes' }).click()
    const report = wizard.locator('[data-testid="unit-report"][data-target="bench-hk"]')
    await expect.poll(() => report.getByTestId('hk-offered').textContent(), { timeout: 30_000 }).toBe(`ssh-ed25519 ${second}`)
    expect(await report.getByTestId('hk-pinned').textContent()).toBe(`ssh-ed25519 ${first}`)
    expect(await report.getByRole('button', { name: 'Trust the new key…' }).count()).toBe(1)
    await shot(wizard, 'host-key-changed-provision')
    await wizard.close()

    // The key changes again before the technician confirms: the fingerprint they saw is refused.
    await sshd.regenerateHostKey()
    const third = sshd.fingerprint()
    await card.getByRole('button', { name: 'Trust the new key…' }).click()
    expect(await card.getByRole('group').textContent()).toContain(`Trust ssh-ed25519 ${second} for this unit from now on?`)
    await card.getByRole('button', { name: 'Yes, trust the new key' }).click()
    const refusal = card.getByTestId('hk-error')
    await expect.poll(() => refusal.count(), { timeout: 30_000 }).toBe(1)
    expect(await refusal.textContent()).toBe(
      `Nothing was re-pinned: 127.0.0.1:${sshd.port} offers ssh-ed25519 ${third}, not the fingerprint given (${second}). ` +
        'Check the fingerprint on the unit (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) and give exactly that one.'
    )
    await shot(page, 'host-key-stale-refused')
    expect(await facts.getByTestId('pinned-key').textContent()).toContain(first)
    expect((await history()).some((e) => e.kind === 'ssh.host-key-repinned')).toBe(false)

    // Reading the unit again shows the key it presents now; that one is trusted after confirming.
    await panel.getByRole('button', { name: 'Refresh' }).click()
    await expect.poll(() => card.getByTestId('hk-offered').textContent(), { timeout: 30_000 }).toBe(`ssh-ed25519 ${third}`)
    expect(await refusal.count()).toBe(0)
    await card.getByRole('button', { name: 'Trust the new key…' }).click()
    await card.getByRole('button', { name: 'Yes, trust the new key' }).click()
    await expect.poll(() => card.getByTestId('host-key-trusted').textContent(), { timeout: 30_000 }).toBe(
      `EdgeDock now trusts ssh-ed25519 ${third} for 127.0.0.1:${sshd.port}. Recorded in History; run the job again.`
    )
    await expect.poll(() => facts.getByTestId('pinned-key').textContent()).toContain(`ssh-ed25519 ${third}`)
    const row = page.getByTestId('device-history-row').filter({ hasText: 'ssh.host-key-repinned' })
    await expect.poll(() => row.count()).toBe(1)
    expect(await row.textContent()).toContain(`was ssh-ed25519 ${first}, now ssh-ed25519 ${third}`)
    // The page reads the unit again by itself, past the host key check this time.
    await expect.poll(() => panel.getByTestId('model-current').textContent(), { timeout: 30_000 }).toBe('No model pushed yet')
    await shot(page, 'host-key-trusted')

    // The next job gets past the host key check too: a dry run (reads only, changes nothing).
    const run = await cli('provision', 'bench-hk', '--profile', 'bench-node', '--var', 'hostname=bench-07', '--dry-run')
    expect(run.code).toBe(0)
    expect(run.stdout + run.stderr).toContain(`host key ssh-ed25519 ${third} (matches the pinned key)`)
    const jobs = JSON.parse((await cli('jobs', '--json')).stdout) as { kind: string; state: string; title: string }[]
    expect(jobs[0]).toMatchObject({ kind: 'provision-dry-run', state: 'succeeded' })
    await page.close()
  })
})

describe.skipIf(skip !== null)('A unit without an address', () => {
  it('says "no address (last: …)" and offers nothing that needs an address', async () => {
    const page = await open('#/devices')
    const row = page.locator('[data-testid="device-row"][data-device="door-moved"]')
    await expect.poll(() => row.getByTestId('no-address').textContent()).toBe('no address (last: 127.0.0.6)')
    expect(await row.textContent()).not.toContain('no-address:')
    await row.getByRole('link', { name: 'door-moved' }).click()
    const detail = page.getByTestId('device-detail')
    await expect.poll(() => detail.getByTestId('no-address').textContent()).toBe('no address (last: 127.0.0.6)')
    expect(await detail.getByRole('button', { name: 'Provision…' }).isDisabled()).toBe(true)
    const panel = page.getByTestId('model-panel')
    expect(await panel.getByTestId('model-no-address').textContent()).toContain('This unit has no address now')
    expect(await panel.getByRole('button', { name: 'Push' }).isDisabled()).toBe(true)
    expect(await panel.getByRole('button', { name: 'Refresh' }).isDisabled()).toBe(true)
    expect(await page.content()).not.toContain('no-address:')
    await shot(page, 'device-no-address')
    await page.locator('.sidebar-foot select').selectOption('zh')
    await expect.poll(() => detail.getByTestId('no-address').textContent()).toBe('无地址（上次：127.0.0.6）')
    await page.locator('.sidebar-foot select').selectOption('en')
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en')

    // The Provision wizard cannot pick it.
    await page.goto(`${station.url}#/provision`)
    await expect.poll(() => page.getByRole('checkbox', { name: /door-moved/ }).isDisabled()).toBe(true)
    expect(await page.getByRole('checkbox', { name: /bench-hk/ }).isDisabled()).toBe(false)
    await page.close()
  })
})
