// The desktop window under real Electron, where an Electron binary is present. Here (no binary can be
// downloaded) it skips and says why; on a workstation after `npm start` once, it runs.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { _electron as electron } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { projectRoot } from '../helpers/run-cli'
import { tempDir } from '../helpers/temp-dir'

function electronBinary(): string | null {
  // Not require('electron'): that would try to download the binary.
  const dir = path.join(projectRoot, 'node_modules', 'electron')
  const pathTxt = path.join(dir, 'path.txt')
  if (!existsSync(pathTxt)) return null
  const bin = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(dir, 'dist'), readFileSync(pathTxt, 'utf8'))
  return existsSync(bin) ? bin : null
}

const bin = electronBinary()
const nativeReady = bin !== null && existsSync(path.join(projectRoot, 'build', 'electron-native'))
if (!bin) console.warn('[electron-smoke] skipped: no Electron binary in node_modules/electron/dist (it is downloaded on first `npm start`, impossible offline).')
else if (!nativeReady) console.warn('[electron-smoke] skipped: better-sqlite3 for Electron not built; run `npm start` once.')

describe.skipIf(!bin || !nativeReady)('Electron desktop window', () => {
  it('opens sandboxed, shows the Devices page and lists a device added over IPC', async () => {
    const t = tempDir()
    const app = await electron.launch({
      executablePath: bin as string,
      args: [projectRoot],
      env: { ...process.env, EDGEDOCK_DATA_DIR: t.dir }
    })
    try {
      const win = await app.firstWindow()
      await win.getByLabel('Address', { exact: true }).fill('pi@127.0.0.1:2201')
      await win.getByRole('button', { name: 'Add device' }).click()
      await expect.poll(() => win.locator('[data-testid="device-row"]').count()).toBe(1)
      // The renderer has no node (sandbox, no integration) and the bridge has no generic invoke.
      const g = await win.evaluate(() => {
        const w = globalThis as unknown as { require?: unknown; process?: unknown; edgedock?: Record<string, unknown> }
        return { require: typeof w.require, process: typeof w.process, invoke: typeof w.edgedock?.invoke, list: typeof w.edgedock?.['devices.list'] }
      })
      expect(g).toEqual({ require: 'undefined', process: 'undefined', invoke: 'undefined', list: 'function' })
    } finally {
      await app.close()
      t.cleanup()
    }
  })
})
