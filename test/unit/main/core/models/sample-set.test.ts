import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadSampleSet, parseSampleSet, sampleDims } from '../../../../../src/main/core/models/sample-set'

describe('sample sets', () => {
  it('accepts rows with one label each', () => {
    expect(parseSampleSet({ description: 'x', inputs: [[0, 1], [1, 0]], labels: [1, 0] })).toEqual({ inputs: [[0, 1], [1, 0]], labels: [1, 0] })
  })

  it.each([
    [{ inputs: [[0, 1]], labels: [] }, /one label per input/],
    [{ inputs: [[0, 1], [1]], labels: [0, 1] }, /same length/],
    [{ inputs: [], labels: [] }, /inputs/],
    [{ inputs: [[0, 'a']], labels: [0] }, /inputs\.0\.1/],
    [{ inputs: [[0, 1]], labels: [-1] }, /labels\.0/]
  ])('refuses %j with SAMPLES_INVALID', (value, message) => {
    expect(() => parseSampleSet(value)).toThrow(expect.objectContaining({ code: 'SAMPLES_INVALID', message: expect.stringMatching(message) as unknown }))
  })

  it('says SAMPLES_INVALID for a file that is not JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edgedock-samples-'))
    try {
      await writeFile(join(dir, 'set.json'), '{"inputs": [[1,')
      await expect(loadSampleSet(join(dir, 'set.json'))).rejects.toMatchObject({ code: 'SAMPLES_INVALID', detail: 'set.json is not JSON' })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('reshapes a flat row to the model input with batch 1', () => {
    expect(sampleDims(['N', 1, 8, 8], 64)).toEqual([1, 1, 8, 8])
    expect(sampleDims([1, 64], 64)).toEqual([1, 64])
    expect(sampleDims(['N', 'features'], 64)).toEqual([1, 64])
    expect(sampleDims(['N', 3, 'H', 8], 48)).toEqual([1, 3, 2, 8])
    expect(sampleDims(null, 5)).toEqual([1, 5])
    expect(sampleDims(['N', 1, 8, 8], 63)).toBeNull()
    expect(sampleDims(['N', 'H', 'W'], 64)).toBeNull()
  })
})
