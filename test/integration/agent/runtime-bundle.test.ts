// The assembled runtime bundle really runs: the agent inside it finds ONNX Runtime at its default
// place (<runtime>/onnxruntime, with onnxruntime-common nested) without any path from outside.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildRuntimeBundle, type RuntimeBundle } from '../../../src/main/core/runtime/build-runtime-bundle'
import { tempDir } from '../../helpers/temp-dir'
import { agentBundle, digitsModel, ensureAgentBuilt, repoRoot } from './agent-process'

describe.runIf(process.platform === 'linux' && process.arch === 'x64')('runtime bundle (linux-x64, this machine)', () => {
  const tmp = tempDir('edgedock-rtbundle-')
  let bundle: RuntimeBundle

  beforeAll(async () => {
    ensureAgentBuilt()
    bundle = await buildRuntimeBundle({
      arch: 'x64',
      cacheDir: tmp.dir,
      agentFile: agentBundle,
      unitFile: path.join(repoRoot, 'resources/device/edgedock-inference.service'),
      ortPackageDir: path.join(repoRoot, 'node_modules/onnxruntime-node'),
      // This machine's Node stands in for the pinned one (fetching 50 MB is not a test's job).
      nodeBinary: async () => process.execPath
    })
  })
  afterAll(() => tmp.cleanup())

  it('starts the agent from the bundle with ONNX Runtime from the bundle', () => {
    const env = { ...process.env }
    delete env.EDGEDOCK_ORT_DIR
    const r = spawnSync(path.join(bundle.dir, 'bin/node'), [path.join(bundle.dir, 'agent/edgedock-agent.cjs'), 'version'], { env, encoding: 'utf8', cwd: tmp.dir })
    expect(r.stdout + r.stderr).toMatch(/"onnxruntime":"1\.30\.0"/)
    expect(r.status).toBe(0)
  })

  it('benchmarks the digits model from the bundle', () => {
    const r = spawnSync(path.join(bundle.dir, 'bin/node'), [path.join(bundle.dir, 'agent/edgedock-agent.cjs'), 'bench', '--model', digitsModel, '--runs', '10', '--duration', '0', '--warmup', '1', '--threads', '1'], { encoding: 'utf8', cwd: tmp.dir })
    expect(r.status).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ runs: 10, inputDims: [1, 1, 8, 8], runtime: { onnxruntime: '1.30.0', arch: 'x64' } })
  })
})
