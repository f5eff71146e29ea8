// Reads of /proc and /sys under a root directory, so tests point the readers at recorded files.
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'

/** The file's text, or null when it does not exist or cannot be read (sysfs often refuses). */
export async function readText(root: string, file: string): Promise<string | null> {
  try {
    return await readFile(path.join(root, file), 'utf8')
  } catch {
    return null
  }
}

/** Entry names of a directory matching the pattern, in natural order (cpu2 before cpu10). */
export async function listMatching(root: string, dir: string, pattern: RegExp): Promise<string[]> {
  try {
    const names = (await readdir(path.join(root, dir))).filter((n) => pattern.test(n))
    return names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
  } catch {
    return []
  }
}

/** Device-tree strings end in NUL. */
export function cleanText(text: string | null): string | null {
  const v = text?.replace(/\0/g, '').trim()
  return v ? v : null
}
