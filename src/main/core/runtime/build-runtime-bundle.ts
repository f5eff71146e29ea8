// Assembles the self-contained runtime a device gets, in the data dir's cache:
//   runtime-<version>-linux-<arch>/
//     bin/node                         pinned Node 22 for the device's architecture
//     onnxruntime/                     onnxruntime-node: package.json, dist/*.js,
//       bin/napi-v6/linux/<arch>/      onnxruntime_binding.node + libonnxruntime.so.1 (RUNPATH $ORIGIN)
//       node_modules/onnxruntime-common/  its one runtime dependency (CommonJS build)
//     agent/edgedock-agent.cjs         the agent bundle (scripts/build-agent.js)
//     systemd/edgedock-inference.service
//     manifest.json, SHA256SUMS
// The version names node + ORT + the agent's hash, so "the same runtime is already installed" is a
// string comparison on the device.
import { existsSync } from 'node:fs'
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { bundleMetaFiles, inventory, readManifest, sha256File, verifyBundle, writeManifest, type ManifestFile, type RuntimeManifest } from './bundle-manifest'
import { RuntimeError } from './errors'
import { packFiles, prunePacked, type PackedFile } from './packed-files'
import { cachedNodeBinary, type RunNpm } from './node-package-cache'
import type { RuntimeArch } from './preflight'
import { NODE_VERSION, ORT_VERSION } from './runtime-pins'

export interface BuildRuntimeOptions {
  arch: RuntimeArch
  /** e.g. <dataDir>/runtime-cache */
  cacheDir: string
  /** out/agent/edgedock-agent.cjs */
  agentFile: string
  /** resources/device/edgedock-inference.service */
  unitFile: string
  /** node_modules/onnxruntime-node (it ships both linux/arm64 and linux/x64 bindings). */
  ortPackageDir: string
  /** Test seam; by default the pinned Node is fetched with npm into the cache. */
  nodeBinary?: (arch: RuntimeArch) => Promise<string>
  runNpm?: RunNpm
  /** How hard to check a bundle already in the cache before reusing it. */
  verify?: 'size' | 'sha256'
  /** Older bundles of the same architecture kept in the cache after a build (each is ~150 MB). */
  keepOld?: number
}

export interface RuntimeBundle {
  version: string
  arch: RuntimeArch
  dir: string
  manifest: RuntimeManifest
  /** Everything to upload: the manifest's files plus manifest.json and SHA256SUMS. */
  uploadFiles: ManifestFile[]
  /** Sum of uploadFiles' sizes: what the install writes on the device. */
  totalBytes: number
  /** The gzip each large file travels as, by its path in the bundle (packed-files.ts). */
  packed: ReadonlyMap<string, PackedFile>
  /** True when this call assembled it, false when the cached one was reused. */
  built: boolean
}

export function runtimeVersion(nodeVersion: string, ortVersion: string, agentSha256: string): string {
  return `node${nodeVersion}-ort${ortVersion}-agent${agentSha256.slice(0, 12)}`
}

export function bundleDirName(version: string, arch: RuntimeArch): string {
  return `runtime-${version}-linux-${arch}`
}

/** What of onnxruntime-node and onnxruntime-common runs on the device: CommonJS and the native files. */
const isRuntimeJs = (name: string): boolean => name.endsWith('.js')

async function copyInto(from: string, to: string, mode = 0o644): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true })
  await copyFile(from, to)
  await chmod(to, mode)
}

async function copyDir(from: string, to: string, keep: (name: string) => boolean): Promise<number> {
  let n = 0
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (entry.isFile() && keep(entry.name)) {
      await copyInto(path.join(from, entry.name), path.join(to, entry.name))
      n++
    }
  }
  return n
}

async function packageVersion(dir: string): Promise<string> {
  return (JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version
}

async function assembleOrt(ortPackageDir: string, arch: RuntimeArch, dest: string): Promise<void> {
  const version = await packageVersion(ortPackageDir)
  if (version !== ORT_VERSION) throw new RuntimeError('RUNTIME_BUNDLE_FAILED', `onnxruntime-node ${version} is installed, the runtime pins ${ORT_VERSION}`)
  await copyInto(path.join(ortPackageDir, 'package.json'), path.join(dest, 'package.json'))
  await copyDir(path.join(ortPackageDir, 'dist'), path.join(dest, 'dist'), isRuntimeJs)
  const nativeRel = path.join('bin', 'napi-v6', 'linux', arch)
  const natives = await copyDir(path.join(ortPackageDir, nativeRel), path.join(dest, nativeRel), () => true)
  if (natives === 0 || !existsSync(path.join(dest, nativeRel, 'onnxruntime_binding.node'))) {
    throw new RuntimeError('RUNTIME_BUNDLE_FAILED', `onnxruntime-node has no linux/${arch} binding`)
  }
  // dist/ requires onnxruntime-common; nested node_modules makes require() find it from there.
  const commonEntry = createRequire(path.join(ortPackageDir, 'package.json')).resolve('onnxruntime-common')
  const commonDir = path.resolve(path.dirname(commonEntry), '..', '..')
  const commonDest = path.join(dest, 'node_modules', 'onnxruntime-common')
  await copyInto(path.join(commonDir, 'package.json'), path.join(commonDest, 'package.json'))
  // dist/cjs/package.json marks that folder CommonJS inside a "type": "module" package: keep it.
  await copyDir(path.join(commonDir, 'dist', 'cjs'), path.join(commonDest, 'dist', 'cjs'), (n) => isRuntimeJs(n) || n === 'package.json')
}

/** Drops older bundles of this architecture beyond `keep`, and leftovers of interrupted builds. */
async function pruneCache(cacheDir: string, arch: RuntimeArch, fresh: string, keep: number): Promise<void> {
  const suffix = `-linux-${arch}`
  const entries = await readdir(cacheDir, { withFileTypes: true })
  const bundles: { name: string; mtimeMs: number }[] = []
  for (const e of entries) {
    if (!e.isDirectory() || !e.name.startsWith('runtime-') || e.name === fresh) continue
    if (e.name.includes(`${suffix}.tmp-`)) {
      await rm(path.join(cacheDir, e.name), { recursive: true, force: true })
    } else if (e.name.endsWith(suffix)) {
      bundles.push({ name: e.name, mtimeMs: (await stat(path.join(cacheDir, e.name))).mtimeMs })
    }
  }
  bundles.sort((a, b) => b.mtimeMs - a.mtimeMs)
  for (const old of bundles.slice(keep)) await rm(path.join(cacheDir, old.name), { recursive: true, force: true })
  // Packed files are shared by content: keep those any remaining bundle (of any architecture) names.
  const kept = new Set<string>()
  for (const e of await readdir(cacheDir, { withFileTypes: true })) {
    if (e.isDirectory() && e.name.startsWith('runtime-')) for (const f of (await readManifest(path.join(cacheDir, e.name)))?.files ?? []) kept.add(f.sha256)
  }
  await prunePacked(cacheDir, kept)
}

async function describe(cacheDir: string, dir: string, manifest: RuntimeManifest, built: boolean): Promise<RuntimeBundle> {
  const uploadFiles = [...manifest.files, ...(await bundleMetaFiles(dir))]
  const packed = await packFiles(cacheDir, dir, manifest.files)
  return { version: manifest.version, arch: manifest.arch, dir, manifest, uploadFiles, totalBytes: uploadFiles.reduce((n, f) => n + f.size, 0), packed, built }
}

export async function buildRuntimeBundle(options: BuildRuntimeOptions): Promise<RuntimeBundle> {
  const { arch, cacheDir } = options
  if (!existsSync(options.agentFile)) throw new RuntimeError('RUNTIME_BUNDLE_FAILED', `the agent bundle ${options.agentFile} is missing (run npm run build:agent)`)
  const agentSha256 = await sha256File(options.agentFile)
  const version = runtimeVersion(NODE_VERSION, ORT_VERSION, agentSha256)
  const dir = path.join(cacheDir, bundleDirName(version, arch))

  const cached = await readManifest(dir)
  if (cached && cached.version === version && cached.arch === arch && (await verifyBundle(dir, cached, options.verify ?? 'size'))) {
    return describe(cacheDir, dir, cached, false)
  }

  const nodeBinary = await (options.nodeBinary ?? ((a: RuntimeArch) => cachedNodeBinary({ cacheDir, arch: a, runNpm: options.runNpm })))(arch)
  await mkdir(cacheDir, { recursive: true })
  const work = await mkdtemp(`${dir}.tmp-`)
  try {
    await copyInto(nodeBinary, path.join(work, 'bin', 'node'), 0o755)
    await assembleOrt(options.ortPackageDir, arch, path.join(work, 'onnxruntime'))
    await copyInto(options.agentFile, path.join(work, 'agent', 'edgedock-agent.cjs'))
    await copyInto(options.unitFile, path.join(work, 'systemd', path.basename(options.unitFile)))
    const files = await inventory(work)
    const manifest: RuntimeManifest = {
      format: 1,
      version,
      platform: 'linux',
      arch,
      node: NODE_VERSION,
      onnxruntime: ORT_VERSION,
      agentSha256,
      totalBytes: files.reduce((n, f) => n + f.size, 0),
      files
    }
    await writeManifest(work, manifest)
    // A stale or damaged copy under the final name goes first; the rename then publishes in one step.
    await rm(dir, { recursive: true, force: true })
    await rename(work, dir)
    await pruneCache(cacheDir, arch, path.basename(dir), options.keepOld ?? 1)
    return await describe(cacheDir, dir, manifest, true)
  } catch (err) {
    if (err instanceof RuntimeError) throw err
    throw new RuntimeError('RUNTIME_BUNDLE_FAILED', err instanceof Error ? err.message : String(err), { cause: err })
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}
