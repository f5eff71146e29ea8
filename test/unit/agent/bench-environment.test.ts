// The environment readers replayed from recorded files: a Raspberry Pi 4 (Raspberry Pi OS bookworm,
// 64-bit) and a lab VM (QEMU aarch64 with the Pi's model in its device tree, no cpufreq, no
// thermal zone, no vcgencmd).
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { CommandRunner } from '../../../src/agent/bench/command-runner'
import { parseCpuinfo, readEnvironment, readFrequencies, readMaxTemperature, readThrottled } from '../../../src/agent/bench/environment'
import { pollOnce } from '../../../src/agent/bench/monitor'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/bench')
const pi4 = path.join(fixtures, 'pi4')
const labVm = path.join(fixtures, 'lab-vm')
const runtime = { onnxruntime: '1.30.0', intraOpThreads: 4, interOpThreads: 1 }

const replay = (outputs: Record<string, string>): CommandRunner => async (command, args) => outputs[[command, ...args].join(' ')] ?? null
const noTools: CommandRunner = async () => null

describe('environment on a Raspberry Pi 4', () => {
  it('reads board, SoC, OS, clocks, temperature and throttle state', async () => {
    const env = await readEnvironment({ root: pi4, run: replay({ 'vcgencmd get_throttled': 'throttled=0x0\n' }) }, runtime)
    expect(env).toMatchObject({
      board: 'Raspberry Pi 4 Model B Rev 1.4',
      soc: { modelName: 'not available', hardware: 'BCM2835', cpuPart: '0xd08', core: 'Cortex-A72', cores: 4 },
      os: 'Debian GNU/Linux 12 (bookworm)',
      onnxruntime: '1.30.0',
      executionProvider: 'cpu',
      intraOpThreads: 4,
      interOpThreads: 1,
      graphOptimizationLevel: 'all',
      cpus: [
        { cpu: 0, governor: 'ondemand', curFreqKHz: 1500000 },
        { cpu: 1, governor: 'ondemand', curFreqKHz: 1500000 },
        { cpu: 2, governor: 'ondemand', curFreqKHz: 600000 },
        { cpu: 3, governor: 'ondemand', curFreqKHz: 1500000 }
      ],
      temperatures: [{ zone: 'thermal_zone0', type: 'cpu-thermal', tempC: 52.582 }],
      throttled: 'throttled=0x0'
    })
    expect(env.kernel).toEqual(expect.any(String))
    expect(env.node).toBe(process.version)
  })

  it('polls temperature, clocks and throttling', async () => {
    expect(await readMaxTemperature(pi4)).toBe(52.582)
    expect(await readFrequencies(pi4)).toEqual([1500000, 1500000, 600000, 1500000])
    const sample = await pollOnce({ root: pi4, run: replay({ 'vcgencmd get_throttled': 'throttled=0x50005\n' }), clock: { now: () => 1250 } }, 1000)
    expect(sample).toEqual({ tMs: 250, tempC: 52.582, freqKHz: [1500000, 1500000, 600000, 1500000], throttled: 'throttled=0x50005' })
  })
})

describe('environment on a lab VM', () => {
  it('says "not available" for what the VM lacks, never fails', async () => {
    const env = await readEnvironment({ root: labVm, run: noTools }, runtime)
    expect(env).toMatchObject({
      board: 'Raspberry Pi 4 Model B Rev 1.1',
      soc: { modelName: 'not available', hardware: 'not available', cpuPart: '0xd08', core: 'Cortex-A72', cores: 2 },
      os: 'Debian GNU/Linux 12 (bookworm)',
      cpus: [
        { cpu: 0, governor: 'not available', curFreqKHz: 'not available' },
        { cpu: 1, governor: 'not available', curFreqKHz: 'not available' }
      ],
      temperatures: 'not available',
      throttled: 'not available'
    })
    expect(await readFrequencies(labVm)).toBeNull()
    expect(await readMaxTemperature(labVm)).toBeNull()
  })

  it('reads an empty root as all "not available"', async () => {
    const env = await readEnvironment({ root: path.join(fixtures, 'nowhere'), run: noTools }, runtime)
    expect(env).toMatchObject({
      board: 'not available',
      soc: { modelName: 'not available', hardware: 'not available', cpuPart: 'not available', core: 'not available', cores: 0 },
      os: 'not available',
      cpus: 'not available',
      temperatures: 'not available',
      throttled: 'not available'
    })
  })
})

describe('readers', () => {
  it('takes the model name of an x86 cpuinfo', () => {
    expect(parseCpuinfo('processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\n\nprocessor\t: 1\n')).toEqual({
      modelName: 'Intel(R) Xeon(R) CPU @ 2.20GHz',
      hardware: 'not available',
      cpuPart: 'not available',
      core: 'not available',
      cores: 2
    })
  })

  it('treats vcgencmd failing or printing something else as not available', async () => {
    expect(await readThrottled(replay({ 'vcgencmd get_throttled': 'VCHI initialization failed\n' }))).toBe('not available')
    expect(await readThrottled(noTools)).toBe('not available')
  })
})
