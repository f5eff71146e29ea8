import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

// Debian's Chromium (Playwright's own browsers can't be downloaded here). The flags keep it from
// reaching out to the internet, which this machine refuses anyway.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** `executablePath` may be a wrapper that starts CHROMIUM elsewhere (inside the Pi lab's namespace). */
export function launchChromium(executablePath = CHROMIUM): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (see .ci/apt-packages.txt)`)
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
  })
}
