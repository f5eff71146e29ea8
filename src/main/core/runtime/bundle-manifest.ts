// The runtime bundle's inventory: every file with size, mode and sha256. manifest.json is what the
// desktop reads; SHA256SUMS is the same list in the format `sha256sum -c` checks on the device.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readdir, readFile, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { RuntimeArch } from './preflight'

export const MANIFEST_FILE = 'manifest.json'
export const SUMS_FILE = 'SHA256SUMS'

export interface ManifestFile {
  /** POSIX path relative to the bundle root. */
  path: string
  size: number
  mode: number
  sha256: string
}

export interface RuntimeManifest {
  format: 1
  version: string
  platform: 'linux'
  arch: RuntimeArch
  node: string
  onnxruntime: string
  agentSha256: string
  totalBytes: number
  files: ManifestFile[]
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter((p) => p !== MANIFEST_FILE && p !== SUMS_FILE)
    .sort()
}

export async function inventory(root: string): Promise<ManifestFile[]> {
  const files: ManifestFile[] = []
  for (const rel of await listFiles(root)) {
    const abs = path.join(root, rel)
    const st = await stat(abs)
    files.push({ path: rel, size: st.size, mode: st.mode & 0o777, sha256: await sha256File(abs) })
  }
  return files
}

export function sumsText(files: readonly { path: string; sha256: string }[]): string {
  return files.map((f) => `${f.sha256}  ${f.path}\n`).join('')
}

export async function writeManifest(root: string, manifest: RuntimeManifest): Promise<void> {
  const text = `${JSON.stringify(manifest, null, 2)}\n`
  await writeFile(path.join(root, MANIFEST_FILE), text)
  const manifestEntry = { path: MANIFEST_FILE, sha256: createHash('sha256').update(text).digest('hex') }
  await writeFile(path.join(root, SUMS_FILE), sumsText([...manifest.files, manifestEntry]))
}

export async function readManifest(root: string): Promise<RuntimeManifest | null> {
  try {
    const m = JSON.parse(await readFile(path.join(root, MANIFEST_FILE), 'utf8')) as RuntimeManifest
    return m.format === 1 && Array.isArray(m.files) ? m : null
  } catch {
    return null
  }
}

/** Whether the files on disk still match the manifest: sizes only (fast) or full sha256. */
export async function verifyBundle(root: string, manifest: RuntimeManifest, depth: 'size' | 'sha256'): Promise<boolean> {
  const present = await listFiles(root)
  if (present.length !== manifest.files.length) return false
  for (const f of manifest.files) {
    const abs = path.join(root, f.path)
    const st = await stat(abs).catch(() => null)
    if (!st || st.size !== f.size) return false
    if (depth === 'sha256' && (await sha256File(abs)) !== f.sha256) return false
  }
  return true
}

/** manifest.json and SHA256SUMS as upload entries: they travel with the bundle but are not in it. */
export async function bundleMetaFiles(root: string): Promise<ManifestFile[]> {
  const out: ManifestFile[] = []
  for (const name of [MANIFEST_FILE, SUMS_FILE]) {
    const abs = path.join(root, name)
    out.push({ path: name, size: (await stat(abs)).size, mode: 0o644, sha256: await sha256File(abs) })
  }
  return out
}
