// How benchmark figures read on the page: milliseconds with the precision the value deserves,
// ratios against a baseline, the time left of a running cell, and a cell's short name.
import type { BenchCell } from '../../../../shared/bench-run'
import { formatEta } from '../../../../shared/format'

/** Sub-millisecond models are common on a desktop, so small values keep more digits. */
export function formatMs(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—'
  const digits = v < 1 ? 3 : v < 10 ? 2 : v < 100 ? 1 : 0
  return v.toFixed(digits)
}

/** cell / baseline as "0.52×"; the caller says whether lower is better. */
export function formatRatio(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return '—'
  return `${r.toFixed(r < 10 ? 2 : 1)}×`
}

export function formatPercent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`
}

export function formatPValue(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return '—'
  return p < 0.0001 ? '< 0.0001' : p.toFixed(4)
}

/** "12s", "3m 05s", or '' while the runner cannot tell yet. */
export function etaText(etaS: number | null | undefined): string {
  return etaS === null || etaS === undefined || !Number.isFinite(etaS) || etaS < 0 ? '' : formatEta(etaS)
}

/** 0 threads means ONNX Runtime picks; the CLI says "auto" too. */
export const threadsText = (n: number): string => (n === 0 ? 'auto' : String(n))

/** One line that tells cells apart in a legend: where, what, and the matrix position. */
export function cellLabel(cell: Pick<BenchCell, 'target' | 'model' | 'threads' | 'batch' | 'repeat'>): string {
  return `${cell.target} · ${cell.model.ref} · t${threadsText(cell.threads)} b${cell.batch} #${cell.repeat}`
}
