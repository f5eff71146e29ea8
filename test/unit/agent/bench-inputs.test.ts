// What the bench feeds the model: seeded inputs, dims from the model's shape and --batch, sample sets.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { benchDims, checkSampleShape, loadSampleSet, sampleBatch, seededInput } from '../../../src/agent/bench/inputs'

describe('seededInput', () => {
  it('is the same for the same seed, different for another, and within [0, 1)', () => {
    expect(seededInput(64, 7)).toEqual(seededInput(64, 7))
    expect(seededInput(64, 7)).not.toEqual(seededInput(64, 8))
    expect(seededInput(64, 0)).not.toEqual(seededInput(64, 1))
    expect(seededInput(1000, 3).every((v) => v >= 0 && v < 1)).toBe(true)
  })

  it('keeps the old fixed input for seed 0 (xorshift32 from 2463534242)', () => {
    let x = 2463534242
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    expect(seededInput(1, 0)[0]).toBe(Math.fround((x >>> 0) / 4294967296))
  })
})

describe('benchDims', () => {
  it('puts the batch in a symbolic first dim and 1 in other symbolic dims', () => {
    expect(benchDims(['N', 1, 8, 8], 1, null)).toEqual([1, 1, 8, 8])
    expect(benchDims(['N', 1, 8, 8], 4, null)).toEqual([4, 1, 8, 8])
    expect(benchDims([-1, 'L'], 2, null)).toEqual([2, 1])
    expect(benchDims(null, 3, null)).toEqual([3])
    expect(benchDims(['N', 1, 8, 8], 4, [2, 1, 8, 8])).toEqual([2, 1, 8, 8])
  })

  it('refuses a batch the model cannot take', () => {
    expect(benchDims([1, 3], 1, null)).toEqual([1, 3])
    expect(() => benchDims([1, 3], 2, null)).toThrow("--batch 2 cannot apply: the model's first dim is fixed at 1")
  })
})

describe('sample sets', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'edgedock-bench-samples-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const write = (name: string, body: unknown): string => {
    const file = path.join(dir, name)
    writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body))
    return file
  }

  it('loads {inputs, labels} and checks them', async () => {
    const set = await loadSampleSet(write('ok.json', { inputs: [[1, 2], [3, 4], [5, 6]], labels: [0, 1, 1] }))
    expect(set.labels).toEqual([0, 1, 1])
    expect(() => checkSampleShape(set, [1, 2], ['N', 2])).not.toThrow()
    expect(() => checkSampleShape(set, [1, 1, 8, 8], ['N', 1, 8, 8])).toThrow('sample 0 has 2 values but the model input [N,1,8,8] takes 64 per sample')
    expect(Array.from(sampleBatch(set, 2, 2))).toEqual([5, 6, 1, 2])
  })

  it('says what is wrong with a bad file in one sentence', async () => {
    await expect(loadSampleSet(path.join(dir, 'missing.json'))).rejects.toThrow(/missing\.json: no such file$/)
    await expect(loadSampleSet(write('bad.json', '{nope'))).rejects.toThrow(/bad\.json: not readable JSON$/)
    await expect(loadSampleSet(write('rows.json', { inputs: [[1], ['x']], labels: [0, 1] }))).rejects.toThrow('"inputs" must be a non-empty array of rows of numbers')
    await expect(loadSampleSet(write('labels.json', { inputs: [[1], [2]], labels: [0] }))).rejects.toThrow('"labels" must hold one non-negative integer class per input row')
  })
})
