// Where EdgeDock keeps its history and files. The desktop app, the station and the CLI use the same
// default, so a unit added in one shows up in the others.
import { mkdirSync, accessSync, constants } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { EdgeError } from '../../shared/errors'

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.EDGEDOCK_DATA_DIR) return env.EDGEDOCK_DATA_DIR
  const home = os.homedir()
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'EdgeDock')
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'EdgeDock')
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'edgedock')
}

export function ensureDataDir(dir: string): string {
  const abs = path.resolve(dir)
  try {
    mkdirSync(abs, { recursive: true, mode: 0o700 })
    accessSync(abs, constants.W_OK)
  } catch (err) {
    throw new EdgeError('DATA_DIR_UNUSABLE', abs, { cause: err })
  }
  return abs
}
