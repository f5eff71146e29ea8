// better-sqlite3 is not N-API: inside Electron it must load a copy built for Electron's ABI, while
// tests and the CLI use the Node build from the same `npm install`. scripts/prepare-electron-native.js
// builds that copy into build/electron-native/<electron version>/ before `npm start`.
import { existsSync } from 'node:fs'
import path from 'node:path'

export function electronNativeBinding(appPath: string, electronVersion: string): string | undefined {
  const file = path.join(appPath, 'build', 'electron-native', electronVersion, 'better_sqlite3.node')
  return existsSync(file) ? file : undefined
}
