// Fetches the pinned Node.js binary for a device architecture once, through npm itself (`npm pack`,
// so proxies, mirrors and npm's own cache apply), and keeps the tarball and the extracted binary in
// the data dir's cache: later builds, and sites without internet, use the cache.
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createReadStream, existsSync } from 'node:fs'
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { RuntimeError } from './errors'
import type { RuntimeArch } from './preflight'
import { NODE_PACKAGES, NODE_VERSION } from './runtime-pins'

/** Runs npm with these arguments in `cwd`; rejects with npm's stderr on failure. */
export type RunNpm = (args: string[], cwd: string) => Promise<void>

export const runNpm: RunNpm = (args, cwd) =>
  new Promise((resolve, reject) => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
    execFile(npm, args, { cwd, timeout: 15 * 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`npm ${args.join(' ')} failed: ${String(stderr).trim().split('\n').pop() ?? error.message}`))
      else resolve()
    })
  })

async function sriOf(file: string): Promise<string> {
  const hash = createHash('sha512')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return `sha512-${hash.digest('base64')}`
}

export interface NodeBinaryOptions {
  cacheDir: string
  arch: RuntimeArch
  runNpm?: RunNpm
  /** Defaults to the pins; tests pass their own package. */
  pin?: { name: string; version: string; integrity: string }
}

/** Path to the extracted `node` for this architecture, fetching the package when it is not cached. */
export async function cachedNodeBinary(options: NodeBinaryOptions): Promise<string> {
  const pkg = options.pin ?? { ...NODE_PACKAGES[options.arch], version: NODE_VERSION }
  const spec = `${pkg.name}@${pkg.version}`
  const dir = path.join(options.cacheDir, 'node', `${pkg.name}-${pkg.version}`)
  const binary = path.join(dir, 'bin', 'node')
  if (existsSync(binary)) return binary

  const tarballs = path.join(options.cacheDir, 'npm')
  const tarball = path.join(tarballs, `${pkg.name}-${pkg.version}.tgz`)
  await mkdir(tarballs, { recursive: true })
  if (!existsSync(tarball)) {
    try {
      await (options.runNpm ?? runNpm)(['pack', spec, '--pack-destination', tarballs, '--silent'], tarballs)
    } catch (err) {
      throw new RuntimeError('RUNTIME_BUNDLE_FAILED', `cannot fetch ${spec}`, { cause: err })
    }
  }
  const sri = await sriOf(tarball)
  if (sri !== pkg.integrity) {
    await rm(tarball, { force: true })
    throw new RuntimeError('RUNTIME_BUNDLE_FAILED', `${spec} does not match its pinned checksum`, { message: `${tarball}: ${sri}, expected ${pkg.integrity}` })
  }
  // Extracted beside the final place and renamed, so an interrupted build never leaves half a binary.
  await mkdir(path.dirname(dir), { recursive: true })
  const work = await mkdtemp(`${dir}.tmp-`)
  try {
    const { extract } = await import('tar')
    await extract({ file: tarball, cwd: work, strip: 1, filter: (p) => p === 'package/bin/node' || p === 'package/LICENSE' })
    if (!existsSync(path.join(work, 'bin', 'node'))) throw new RuntimeError('RUNTIME_BUNDLE_FAILED', `${spec} has no bin/node`)
    await rename(work, dir)
  } finally {
    await rm(work, { recursive: true, force: true })
  }
  return binary
}
