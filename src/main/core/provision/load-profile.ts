// Finds a profile by built-in name or by file path. Built-ins live in resources/profiles.
import { readFile, readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { EdgeError } from '../../../shared/errors'
import { MAX_PROFILE_BYTES, parseProfile, tooLarge, type Profile } from './profile'

export async function builtinProfileNames(profilesDir: string): Promise<string[]> {
  const files = await readdir(profilesDir).catch(() => [] as string[])
  return files.filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -'.yaml'.length)).sort()
}

/** `nameOrFile` is a built-in name (door-access-unit) or a path to a .yaml/.yml file. */
export async function loadProfile(nameOrFile: string, profilesDir: string): Promise<Profile> {
  const isBuiltin = /^[a-z0-9][a-z0-9-]*$/.test(nameOrFile) && (await builtinProfileNames(profilesDir)).includes(nameOrFile)
  const file = isBuiltin ? path.join(profilesDir, `${nameOrFile}.yaml`) : nameOrFile
  if (!isBuiltin && !/\.ya?ml$/i.test(file)) throw new EdgeError('PROFILE_NOT_FOUND', nameOrFile)
  let text: string
  try {
    // Checked before reading, so a huge file (or a device such as /dev/zero) is never loaded into memory.
    const info = await stat(file)
    if (!info.isFile()) throw new EdgeError('PROFILE_NOT_FOUND', nameOrFile)
    const size = info.size
    if (size > MAX_PROFILE_BYTES) throw new EdgeError('PROFILE_INVALID', `${path.basename(file)}: ${tooLarge(size, MAX_PROFILE_BYTES)}`)
    text = await readFile(file, 'utf8')
  } catch (err) {
    if (err instanceof EdgeError) throw err
    throw new EdgeError('PROFILE_NOT_FOUND', nameOrFile)
  }
  return { ...parseProfile(text, isBuiltin ? `built-in profile ${nameOrFile}` : path.basename(file)), dir: path.dirname(path.resolve(file)) }
}
