// What the numbers were measured on. Every reader takes the root directory (and the command runner)
// so a Pi 4 or a lab VM can be replayed from recorded files.
import os from 'node:os'
import type { BenchCpu, BenchEnvironment, BenchThermalZone, NotAvailable } from '../protocol'
import type { CommandRunner } from './command-runner'
import { cleanText, listMatching, readText } from './sysfs'

export const NA: NotAvailable = 'not available'

export interface EnvSource {
  root: string
  run: CommandRunner
}

export async function readBoardModel(root: string): Promise<string | NotAvailable> {
  for (const file of ['proc/device-tree/model', 'sys/firmware/devicetree/base/model']) {
    const model = cleanText(await readText(root, file))
    if (model) return model
  }
  return NA
}

/** ARM's CPU part numbers for the cores Raspberry Pis (and their QEMU stand-ins) have. */
const ARM_PARTS: Record<string, string> = {
  '0xb76': 'ARM1176',
  '0xc07': 'Cortex-A7',
  '0xd03': 'Cortex-A53',
  '0xd04': 'Cortex-A35',
  '0xd05': 'Cortex-A55',
  '0xd07': 'Cortex-A57',
  '0xd08': 'Cortex-A72',
  '0xd0b': 'Cortex-A76'
}

/** First value of a "key<tabs>: value" line in /proc/cpuinfo. */
function cpuinfoField(text: string, key: string): string | null {
  const line = text.split('\n').find((l) => l.slice(0, l.indexOf(':')).trim().toLowerCase() === key.toLowerCase())
  return line === undefined ? null : cleanText(line.slice(line.indexOf(':') + 1))
}

export function parseCpuinfo(text: string | null): BenchEnvironment['soc'] {
  const t = text ?? ''
  const cpuPart = cpuinfoField(t, 'CPU part')
  return {
    modelName: cpuinfoField(t, 'model name') ?? NA,
    hardware: cpuinfoField(t, 'Hardware') ?? NA,
    cpuPart: cpuPart ?? NA,
    core: (cpuPart && ARM_PARTS[cpuPart.toLowerCase()]) ?? NA,
    cores: t.split('\n').filter((l) => /^processor\s*:/.test(l)).length
  }
}

export async function readSoc(root: string): Promise<BenchEnvironment['soc']> {
  return parseCpuinfo(await readText(root, 'proc/cpuinfo'))
}

export async function readOsName(root: string): Promise<string | NotAvailable> {
  for (const file of ['etc/os-release', 'usr/lib/os-release']) {
    const text = await readText(root, file)
    const line = text?.split('\n').find((l) => l.startsWith('PRETTY_NAME='))
    if (line) return line.slice('PRETTY_NAME='.length).trim().replace(/^"(.*)"$/, '$1')
  }
  return NA
}

const CPU_DIR = 'sys/devices/system/cpu'

/** Governor and current clock per core; "not available" where cpufreq is absent (VMs). */
export async function readCpus(root: string): Promise<BenchCpu[] | NotAvailable> {
  const cpus = await listMatching(root, CPU_DIR, /^cpu\d+$/)
  if (cpus.length === 0) return NA
  return Promise.all(
    cpus.map(async (name) => {
      const governor = cleanText(await readText(root, `${CPU_DIR}/${name}/cpufreq/scaling_governor`))
      const freq = Number(cleanText(await readText(root, `${CPU_DIR}/${name}/cpufreq/scaling_cur_freq`)) ?? Number.NaN)
      return { cpu: Number(name.slice(3)), governor: governor ?? NA, curFreqKHz: Number.isFinite(freq) ? freq : NA }
    })
  )
}

/** Current clock of every core that reports one, in kHz; null when none does. */
export async function readFrequencies(root: string): Promise<number[] | null> {
  const cpus = await readCpus(root)
  if (cpus === NA) return null
  const freqs = cpus.flatMap((c) => (typeof c.curFreqKHz === 'number' ? [c.curFreqKHz] : []))
  return freqs.length > 0 ? freqs : null
}

const THERMAL_DIR = 'sys/class/thermal'

export async function readTemperatures(root: string): Promise<BenchThermalZone[] | NotAvailable> {
  const zones = await listMatching(root, THERMAL_DIR, /^thermal_zone\d+$/)
  const read = await Promise.all(
    zones.map(async (zone) => {
      const milli = Number(cleanText(await readText(root, `${THERMAL_DIR}/${zone}/temp`)) ?? Number.NaN)
      const type = cleanText(await readText(root, `${THERMAL_DIR}/${zone}/type`)) ?? 'unknown'
      return Number.isFinite(milli) ? [{ zone, type, tempC: milli / 1000 }] : []
    })
  )
  const found = read.flat()
  return found.length > 0 ? found : NA
}

/** The hottest zone now, in °C; null when no zone reads. */
export async function readMaxTemperature(root: string): Promise<number | null> {
  const zones = await readTemperatures(root)
  return zones === NA ? null : Math.max(...zones.map((z) => z.tempC))
}

/** `vcgencmd get_throttled` as printed; "not available" where the tool is missing or fails. */
export async function readThrottled(run: CommandRunner): Promise<string | NotAvailable> {
  const out = cleanText(await run('vcgencmd', ['get_throttled']))
  return out && /throttled=/.test(out) ? out : NA
}

export interface RuntimeFacts {
  onnxruntime: string
  intraOpThreads: number
  interOpThreads: number
}

export async function readEnvironment(source: EnvSource, runtime: RuntimeFacts): Promise<BenchEnvironment> {
  const [board, soc, osName, cpus, temperatures, throttled] = await Promise.all([
    readBoardModel(source.root),
    readSoc(source.root),
    readOsName(source.root),
    readCpus(source.root),
    readTemperatures(source.root),
    readThrottled(source.run)
  ])
  return {
    board,
    soc,
    os: osName,
    kernel: os.release(),
    arch: process.arch,
    node: process.version,
    onnxruntime: runtime.onnxruntime,
    executionProvider: 'cpu',
    intraOpThreads: runtime.intraOpThreads,
    interOpThreads: runtime.interOpThreads,
    graphOptimizationLevel: 'all',
    cpus,
    temperatures,
    throttled
  }
}
