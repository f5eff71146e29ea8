// The Flash page in Chromium through the station: an image on the bench box, its inspection, a
// refused target (outside the station's images folder) that changes nothing, first-boot settings,
// the confirm step naming each target, then the result with the SHA-256 read back; in English and Chinese.
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { projectRoot } from '../helpers/run-cli'
import type { startStationProcess } from '../helpers/start-station'
import { startStationAndBrowser } from '../helpers/station-browser'
import { buildDiskImage, buildPiBootImage, missingTools } from '../integration/flash/disk-image'
import { sha256File } from '../integration/flash/flash-fixture'
import { mtype } from '../integration/flash/customise/fat-tools'

const missing = missingTools()
const shots = path.join(projectRoot, 'test-results')
const CMDLINE = 'console=serial0,115200 console=tty1 root=PARTUUID=5eed4321-02 rootfstype=ext4 fsck.repair=yes rootwait\n'

let browser: Browser
let station: Awaited<ReturnType<typeof startStationProcess>>
let dataDir: string
let close: () => Promise<void>
let page: Page
let image: string

describe.skipIf(missing.length > 0)(`Flash page${missing.length ? ` (skipped: missing ${missing.join(', ')})` : ''}`, () => {
  beforeAll(async () => {
    ;({ station, browser, dataDir, close } = await startStationAndBrowser())
    image = buildPiBootImage(dataDir, { fat: 16, fatMiB: 16, extMiB: 8, files: { 'cmdline.txt': CMDLINE, 'config.txt': 'arm_64bit=1\n' } }, 'site-os.img')
    page = await browser.newPage({ viewport: { width: 1400, height: 1100 } })
    await page.goto(`${station.url}#/flash`)
  })
  afterAll(() => close?.())

  const addFileTarget = async (file: string) => {
    await page.getByLabel('Image file target').fill(file)
    await page.getByRole('button', { name: 'Add file' }).click()
  }
  const writeAndConfirm = async () => {
    await page.getByRole('button', { name: 'Write', exact: true }).click()
    await page.getByTestId('flash-confirm').waitFor()
    await page.getByRole('button', { name: 'Erase and write' }).click()
  }

  it('inspects the image: raw, its size, a Bookworm first boot', async () => {
    await page.getByLabel('Image file on this station').fill(image)
    await page.getByRole('button', { name: 'Check image' }).click()
    const info = page.getByTestId('flash-inspection')
    await expect.poll(() => info.textContent()).toContain('raw')
    expect(await info.textContent()).toContain('26.2 MB')
    expect(await info.textContent()).toContain('Raspberry Pi OS firstrun.sh')
  })

  it('refuses a file target outside the station\'s images folder in plain words and creates nothing', async () => {
    const outside = path.join(dataDir, 'elsewhere.img')
    await addFileTarget(outside)
    await writeAndConfirm()
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('from the station, write a drive of its drive list or a file in')
    expect(existsSync(outside)).toBe(false)
    await page.getByTestId('flash-file-targets').getByRole('button', { name: 'Remove' }).click()
  })

  it('writes an image file with first-boot settings and shows the SHA-256 read back', async () => {
    const target = path.join(dataDir, 'images', 'card-1.img')
    await addFileTarget(target)
    await page.getByLabel('Hostname').fill('unit-09')
    await page.getByLabel('User name').fill('edge')
    await page.getByLabel('Password', { exact: true }).fill('s3cret-pass')
    await page.getByLabel('Time zone (e.g. Europe/London)').fill('Europe/London')
    await page.screenshot({ path: path.join(shots, 'flash-form.png'), fullPage: true })
    await writeAndConfirm()
    const row = page.getByTestId('flash-result-row')
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1)
    const text = (await row.textContent()) ?? ''
    const sha = sha256File(image)!
    expect(text).toContain(target)
    expect(text).toContain('verified')
    expect(text).toContain(sha)
    expect(text).toMatch(/host key SHA256:\S+ pinned for unit-09\.local/)
    expect(await page.getByText('Insert the card in the unit and power it on').count()).toBe(1)
    // The card holds the image as verified, then the first-boot script with the chosen hostname.
    expect(mtype(target, '/firstrun.sh').toString('utf8')).toContain('unit-09')
    expect(readFileSync(target).length).toBe(readFileSync(image).length)
    await page.screenshot({ path: path.join(shots, 'flash-result.png'), fullPage: true })
  })

  it('reads in Chinese', async () => {
    await page.locator('.sidebar-foot select').selectOption('zh')
    await expect.poll(() => page.getByTestId('flash-result-row').textContent()).toContain('已校验')
    expect(await page.getByText('把卡插入设备并通电').count()).toBe(1)
    await page.screenshot({ path: path.join(shots, 'flash-result-zh.png'), fullPage: true })
    await page.getByRole('button', { name: '再烧录一个' }).click()
    await page.getByRole('heading', { name: '首次启动设置（可选）' }).waitFor()
    await page.screenshot({ path: path.join(shots, 'flash-form-zh.png'), fullPage: true })
    await page.locator('.sidebar-foot select').selectOption('en')
  })

  it('shows each target\'s progress with rate and time left, and Cancel leaves the cards unbootable', async () => {
    mkdirSync(path.join(dataDir, 'big'))
    const big = buildDiskImage(path.join(dataDir, 'big'), { sizeMiB: 1024, fatMiB: 16, fatFill: 1024 * 1024, extFill: 1024 * 1024 }, 'big.img')
    await page.getByLabel('Image file on this station').fill(big)
    await page.getByTestId('flash-file-targets').getByRole('button', { name: 'Remove' }).click()
    const targets = [path.join(dataDir, 'images', 'big-a.img'), path.join(dataDir, 'images', 'big-b.img')]
    for (const t of targets) await addFileTarget(t)
    await writeAndConfirm()
    const rows = page.getByTestId('flash-progress-row')
    await expect.poll(() => rows.count()).toBe(2)
    // Both targets move, each with its own rate and time left.
    for (const i of [0, 1]) await expect.poll(() => rows.nth(i).textContent(), { timeout: 20_000, interval: 100 }).toMatch(/writing\d+%[\d.]+ [KMG]?B\/s.*left/)
    await page.screenshot({ path: path.join(shots, 'flash-progress.png'), fullPage: true })
    await page.getByTestId('flash-run').getByRole('button', { name: 'Cancel' }).click()
    const done = page.getByTestId('flash-result-row')
    await expect.poll(() => done.count(), { timeout: 20_000 }).toBe(2)
    for (const i of [0, 1]) expect(await done.nth(i).textContent()).toContain('was left without a partition table')
    for (const t of targets) expect(readFileSync(t).subarray(0, 4096).every((b) => b === 0)).toBe(true)
    await page.screenshot({ path: path.join(shots, 'flash-cancelled.png'), fullPage: true })
  })
})
