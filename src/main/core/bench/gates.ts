// Limits a profile sets on a unit's benchmark (p90 <= 60 ms, peak RSS <= 200 MB): each is met or
// missed, and a miss says by how much, so a technician knows whether it is noise or a wrong board.
import type { CellStats } from '../../../shared/bench-run'

export interface Gates {
  p50Ms?: number | undefined
  p90Ms?: number | undefined
  p99Ms?: number | undefined
  peakRssMb?: number | undefined
  /** Inferences per second, at least. */
  minThroughput?: number | undefined
  /** Top-1 accuracy on the step's labelled sample set, in percent, at least. */
  minTop1?: number | undefined
}

export interface MeasuredAccuracy {
  samples: number
  correct: number
  /** A fraction, 0-1. */
  top1: number
}

export interface GateVerdict {
  met: string[]
  missed: string[]
}

const LIMITS: { key: keyof Gates; stat: keyof CellStats; name: string; unit: string; atLeast?: boolean }[] = [
  { key: 'p50Ms', stat: 'p50', name: 'p50', unit: 'ms' },
  { key: 'p90Ms', stat: 'p90', name: 'p90', unit: 'ms' },
  { key: 'p99Ms', stat: 'p99', name: 'p99', unit: 'ms' },
  { key: 'peakRssMb', stat: 'peakRssMb', name: 'peak RSS', unit: 'MB' },
  { key: 'minThroughput', stat: 'throughput', name: 'throughput', unit: 'inferences/s', atLeast: true }
]

const fmt = (v: number) => (Math.abs(v) < 10 ? v.toFixed(2) : v.toFixed(1))

export function judgeGates(stats: CellStats, gates: Gates, accuracy: MeasuredAccuracy | null = null): GateVerdict {
  const verdict: GateVerdict = { met: [], missed: [] }
  for (const l of LIMITS) {
    const limit = gates[l.key]
    if (limit === undefined) continue
    const value = stats[l.stat] as number
    const ok = l.atLeast ? value >= limit : value <= limit
    if (ok) verdict.met.push(`${l.name} ${fmt(value)} ${l.unit} ${l.atLeast ? '>=' : '<='} ${fmt(limit)}`)
    else {
      const by = Math.abs(value - limit)
      verdict.missed.push(`${l.name} ${fmt(value)} ${l.unit} is ${l.atLeast ? 'under' : 'over'} the limit of ${fmt(limit)} ${l.unit} by ${fmt(by)} ${l.unit} (${((by / limit) * 100).toFixed(0)}%)`)
    }
  }
  if (gates.minTop1 !== undefined) {
    const limit = gates.minTop1
    const pct = accuracy ? accuracy.top1 * 100 : null
    if (pct === null) verdict.missed.push(`top-1 accuracy was not measured (no labelled samples ran), so the limit of ${fmt(limit)} % cannot be checked`)
    else if (pct >= limit) verdict.met.push(`top-1 ${fmt(pct)} % >= ${fmt(limit)} % (${accuracy?.correct}/${accuracy?.samples})`)
    else verdict.missed.push(`top-1 ${fmt(pct)} % (${accuracy?.correct}/${accuracy?.samples}) is under the limit of ${fmt(limit)} % by ${fmt(limit - pct)} points`)
  }
  return verdict
}
