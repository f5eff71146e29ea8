import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildRuntimeBundle, bundleDirName, runtimeVersion } from '../../../../../src/main/core/runtime/build-runtime-bundle'
import { readManifest } from '../../../../../src/main/core/runtime/bundle-manifest'
import { tempDir } from '../../../../helpers/temp-dir'

const repo = path.resolve(import.meta.dirname, '../../../../..')
const ortPackageDir = path.join(repo, 'node_modules/onnxruntime-node')
const unitFile = path.join(repo, 'resources/device/edgedock-inference.service')

describe('buildRuntimeBundle', () => {
  const tmp = tempDir('edgedock-runtime-')
  const cacheDir = path.join(tmp.dir, 'cache')
  const agentFile = path.join(tmp.dir, 'edgedock-agent.cjs')
  const fakeNode = path.join(tmp.dir, 'fake-node')
  let nodeFetches = 0
  const nodeBinary = async (): Promise<string> => {
    nodeFetches++
    return fakeNode
  }

  beforeAll(async () => {
    await writeFile(agentFile, '// agent v1\n')
    await writeFile(fakeNode, '#!/bin/sh\necho fake node\n')
  })
  afterAll(() => tmp.cleanup())

  it('assembles node, the arm64 ONNX Runtime files, the agent and a checked manifest', async () => {
    const b = await buildRuntimeBundle({ arch: 'arm64', cacheDir, agentFile, unitFile, ortPackageDir, nodeBinary })
    expect(b.built).toBe(true)
    expect(b.version).toMatch(/^node22\.\d+\.\d+-ort1\.30\.0-agent[0-9a-f]{12}$/)
    expect(b.dir).toBe(path.join(cacheDir, bundleDirName(b.version, 'arm64')))
    const paths = b.manifest.files.map((f) => f.path)
    expect(paths).toEqual(
      expect.arrayContaining([
        'bin/node',
        'agent/edgedock-agent.cjs',
        'systemd/edgedock-inference.service',
        'onnxruntime/package.json',
        'onnxruntime/dist/index.js',
        'onnxruntime/dist/binding.js',
        'onnxruntime/bin/napi-v6/linux/arm64/onnxruntime_binding.node',
        'onnxruntime/bin/napi-v6/linux/arm64/libonnxruntime.so.1',
        'onnxruntime/node_modules/onnxruntime-common/package.json',
        'onnxruntime/node_modules/onnxruntime-common/dist/cjs/package.json',
        'onnxruntime/node_modules/onnxruntime-common/dist/cjs/index.js'
      ])
    )
    // Only what runs: no x64 binding, no source maps or typings.
    expect(paths.some((p) => p.includes('/x64/') || p.endsWith('.map') || p.endsWith('.d.ts'))).toBe(false)
    expect(b.manifest.files.find((f) => f.path === 'bin/node')?.mode).toBe(0o755)
    expect((await stat(path.join(b.dir, 'bin/node'))).mode & 0o777).toBe(0o755)
    expect(b.uploadFiles.map((f) => f.path).slice(-2)).toEqual(['manifest.json', 'SHA256SUMS'])
    expect(b.totalBytes).toBeGreaterThan(20_000_000)
    // The device checks with sha256sum -c: so does this test, on the real file.
    const check = spawnSync('sha256sum', ['--quiet', '--strict', '-c', 'SHA256SUMS'], { cwd: b.dir, encoding: 'utf8' })
    expect(check.stderr + check.stdout).toBe('')
    expect(check.status).toBe(0)
  })

  it('reuses the cached bundle for the same version and rebuilds a damaged one', async () => {
    const first = await buildRuntimeBundle({ arch: 'arm64', cacheDir, agentFile, unitFile, ortPackageDir, nodeBinary })
    expect(first.built).toBe(false)
    expect(nodeFetches).toBe(1)
    await writeFile(path.join(first.dir, 'agent/edgedock-agent.cjs'), '// tampered, longer than before\n')
    const again = await buildRuntimeBundle({ arch: 'arm64', cacheDir, agentFile, unitFile, ortPackageDir, nodeBinary })
    expect(again.built).toBe(true)
    expect(await readFile(path.join(again.dir, 'agent/edgedock-agent.cjs'), 'utf8')).toBe('// agent v1\n')
  })

  it('gets a new version when the agent changes', async () => {
    const before = (await readManifest((await buildRuntimeBundle({ arch: 'arm64', cacheDir, agentFile, unitFile, ortPackageDir, nodeBinary })).dir))?.version
    await writeFile(agentFile, '// agent v2\n')
    const after = await buildRuntimeBundle({ arch: 'arm64', cacheDir, agentFile, unitFile, ortPackageDir, nodeBinary })
    expect(after.version).not.toBe(before)
    // keepOld 1: the previous bundle stays for a fallback, older ones and temp dirs go.
    await writeFile(agentFile, '// agent v3\n')
    const third = await buildRuntimeBundle({ arch: 'arm64', cacheDir, agentFile, unitFile, ortPackageDir, nodeBinary })
    const left = (await import('node:fs')).readdirSync(cacheDir).filter((n) => n.startsWith('runtime-'))
    expect(left.sort()).toEqual([path.basename(after.dir), path.basename(third.dir)].sort())
    expect(runtimeVersion('22.23.3', '1.30.0', 'ab'.repeat(32))).toBe('node22.23.3-ort1.30.0-agentabababababab')
  })

  it('packs the large files once by content: a new agent repacks nothing, dropped bundles take their packs along', async () => {
    const a = await buildRuntimeBundle({ arch: 'arm64', cacheDir, agentFile, unitFile, ortPackageDir, nodeBinary })
    const lib = 'onnxruntime/bin/napi-v6/linux/arm64/libonnxruntime.so.1'
    const packed = a.packed.get(lib)
    expect(packed?.size).toBeLessThan(0.5 * (a.manifest.files.find((f) => f.path === lib)?.size ?? 0))
    expect(gunzipSync(await readFile(packed?.local ?? '')).equals(await readFile(path.join(a.dir, lib)))).toBe(true)
    // Small files travel as they are.
    expect(a.packed.has('systemd/edgedock-inference.service')).toBe(false)
    const stray = path.join(cacheDir, 'packed', `${'0'.repeat(64)}.gz`)
    await writeFile(stray, 'from a bundle long gone')
    const packedBefore = (await stat(packed?.local ?? '')).mtimeMs
    await writeFile(agentFile, '// agent v4\n')
    const b = await buildRuntimeBundle({ arch: 'arm64', cacheDir, agentFile, unitFile, ortPackageDir, nodeBinary })
    expect(b.built).toBe(true)
    expect(b.packed.get(lib)?.local).toBe(packed?.local)
    expect((await stat(packed?.local ?? '')).mtimeMs).toBe(packedBefore)
    expect(existsSync(stray)).toBe(false)
  })

  it('fails with RUNTIME_BUNDLE_FAILED and leaves nothing half-built when the agent is missing', async () => {
    const emptyCache = path.join(tmp.dir, 'empty-cache')
    await mkdir(emptyCache)
    await expect(buildRuntimeBundle({ arch: 'x64', cacheDir: emptyCache, agentFile: path.join(tmp.dir, 'nope.cjs'), unitFile, ortPackageDir, nodeBinary })).rejects.toMatchObject({
      code: 'RUNTIME_BUNDLE_FAILED'
    })
    const failing = async (): Promise<string> => {
      throw new Error('offline')
    }
    await expect(buildRuntimeBundle({ arch: 'x64', cacheDir: emptyCache, agentFile, unitFile, ortPackageDir, nodeBinary: failing })).rejects.toThrow('offline')
    expect(existsSync(emptyCache) ? (await import('node:fs')).readdirSync(emptyCache) : []).toEqual([])
  })
})
