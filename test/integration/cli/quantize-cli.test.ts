// `edgedock models quantize|lineage` through the real CLI (bin/edgedock.js) on a temp data folder,
// with tiny models made here: progress on stderr, a result table or --json, lineage, and refusals
// that store nothing.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../helpers/run-cli'
import { tempDir } from '../../helpers/temp-dir'
import { samples, smallCnn } from '../../unit/main/core/models/quantize/small-cnn'
import { smallMlp } from '../../unit/main/core/models/quantize/small-mlp'

let dir: string
let cleanup = () => {}
const cli = (...args: string[]) => runCli(['--data-dir', dir, ...args])
const versions = async () => ((JSON.parse((await cli('models', 'list', '--json')).stdout) as { name: string; version: string }[]).map((m) => `${m.name}@${m.version}`)).sort()

beforeAll(async () => {
  ;({ dir, cleanup } = tempDir('edgedock-quantize-cli-'))
  writeFileSync(path.join(dir, 'cnn.onnx'), smallCnn())
  writeFileSync(path.join(dir, 'mlp.onnx'), smallMlp())
  writeFileSync(path.join(dir, 'cal.json'), JSON.stringify(samples(20).map((r) => Array.from(r))))
  for (const m of ['cnn', 'mlp']) expect((await cli('models', 'import', path.join(dir, `${m}.onnx`))).code).toBe(0)
})
afterAll(() => cleanup())

describe('edgedock models quantize', () => {
  it('stores a static INT8 version and prints the comparison table', async () => {
    const r = await cli('models', 'quantize', 'cnn@1', '--method', 'static', '--calibration', path.join(dir, 'cal.json'), '--exclude', 'pool')
    expect(r.stderr).toContain('▶ Quantize')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Stored: cnn@2 {2}sha256 [0-9a-f]{12}/)
    expect(r.stdout).toMatch(/cnn@1 \(original\)\s+[\d.]+ kB\s+-\s+[\d.]+ ms/)
    expect(r.stdout).toMatch(/cnn@2 \(static\)\s+[\d.]+ kB \([\d.]+x\)/)
    expect(r.stdout).toMatch(/top-1 agreement \d+\.\d+%, cosine mean 0\.9\d+/)
    expect(r.stdout).toContain('kept float: MaxPool 1')

    const lineage = await cli('models', 'lineage', 'cnn@2')
    expect(lineage.stdout).toMatch(/made from: cnn@1 {2}sha256 [0-9a-f]{12}/)
    expect(lineage.stdout).toContain('method: static')
    expect(lineage.stdout).toContain('"exclude":["pool"]')
  })

  it('picks the method from the op mix when none is given, and --json carries the numbers', async () => {
    const r = await cli('models', 'quantize', 'mlp@1', '--version', 'small', '--json')
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout) as { method: string; model: { ref: string }; sizeBytes: { before: number; after: number }; compare: { cosine: { mean: number }; latency: { before: { p50Ms: number }; after: { p50Ms: number } } } }
    expect(out.method).toBe('dynamic')
    expect(out.model.ref).toBe('mlp@small')
    expect(out.sizeBytes.after).toBeLessThan(0.4 * out.sizeBytes.before)
    expect(out.compare.cosine.mean).toBeGreaterThan(0.99)
    expect(out.compare.latency.after.p50Ms).toBeGreaterThan(0)
    const human = await cli('models', 'quantize', 'mlp@1', '--method', 'fp16', '--per-tensor')
    expect(human.code).toBe(0)
    expect(human.stdout).toContain('mlp@2 (fp16)')
  })

  it('refuses bad input in plain words and stores nothing', async () => {
    const before = await versions()
    const noCal = await cli('models', 'quantize', 'cnn@1', '--method', 'static')
    // Refused before a job starts: one sentence on stderr that says what to give or choose instead.
    expect(noCal.code).toBe(1)
    expect(noCal.stderr).toMatch(/Static INT8 needs a calibration set .*dynamic INT8 or FP16/)
    expect(noCal.stderr).not.toMatch(/\n\s+at /)
    expect(noCal.stdout).toBe('')
    const again = await cli('models', 'quantize', 'cnn@2', '--method', 'dynamic', '--json')
    expect(again.code).toBe(1)
    expect((JSON.parse(again.stdout) as { job: { error: { code: string } } }).job.error.code).toBe('MODEL_NOT_QUANTIZABLE')
    const unknown = await cli('models', 'quantize', 'cnn@1', '--method', 'fp16', '--exclude', 'conv,nope')
    expect(unknown.stdout).toContain('no node named nope')
    const advice = await cli('models', 'quantize', 'cnn@2')
    expect(advice.code).toBe(1)
    expect(advice.stderr).toContain('already quantized')
    const badMethod = await cli('models', 'quantize', 'cnn@1', '--method', 'int4')
    expect(badMethod.code).toBe(2)
    expect(await versions()).toEqual(before)
  })
})
