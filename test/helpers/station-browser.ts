import type { Browser } from 'playwright-core'
import { launchChromium } from './browser'
import { startStationProcess } from './start-station'
import { tempDir } from './temp-dir'

/** A real station process on its own data folder, and Debian's Chromium to look at it. */
export async function startStationAndBrowser(): Promise<{
  station: Awaited<ReturnType<typeof startStationProcess>>
  browser: Browser
  dataDir: string
  close: () => Promise<void>
}> {
  const t = tempDir()
  const station = await startStationProcess(t.dir)
  const browser = await launchChromium()
  return {
    station,
    browser,
    dataDir: t.dir,
    close: async () => {
      await browser.close()
      await station.stop()
      t.cleanup()
    }
  }
}
