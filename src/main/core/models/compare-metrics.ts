// The numbers of a model comparison, kept apart from the running so they are easy to check by hand.

export function argmax(values: ArrayLike<number>): number {
  let best = 0
  for (let i = 1; i < values.length; i++) if ((values[i] ?? -Infinity) > (values[best] ?? -Infinity)) best = i
  return best
}

export interface LatencyStats {
  meanMs: number
  p50Ms: number
  p95Ms: number
  minMs: number
  maxMs: number
}

export function latencyStats(samples: readonly number[]): LatencyStats {
  if (samples.length === 0) return { meanMs: 0, p50Ms: 0, p95Ms: 0, minMs: 0, maxMs: 0 }
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0
  return {
    meanMs: sorted.reduce((s, v) => s + v, 0) / sorted.length,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    minMs: sorted[0] ?? 0,
    maxMs: sorted[sorted.length - 1] ?? 0
  }
}

export interface OutputError {
  /** Largest |a - b| over every output value of every sample. */
  maxAbs: number
  /** Mean |a - b| over every output value of every sample. */
  meanAbs: number
  /** Per sample max|a - b| / max|a| (model A is the reference), then the largest over samples.
   *  Relative to the sample's largest output, not element by element: logits near zero would
   *  otherwise blow it up, and models whose outputs are all tiny (a MobileNet export gives ~1e-9)
   *  still compare. */
  maxRel: number
  meanRel: number
}

/** Accumulates output differences one sample at a time, so nothing but the running sums is kept. */
export class OutputErrorAccumulator {
  private maxAbs = 0
  private sumAbs = 0
  private count = 0
  private maxRel = 0
  private sumRel = 0
  private samples = 0

  add(a: ArrayLike<number>, b: ArrayLike<number>): void {
    let sampleMaxAbs = 0
    let reference = 0
    for (let i = 0; i < a.length; i++) {
      const x = a[i] ?? 0
      const diff = Math.abs(x - (b[i] ?? 0))
      this.sumAbs += diff
      if (diff > sampleMaxAbs) sampleMaxAbs = diff
      if (Math.abs(x) > reference) reference = Math.abs(x)
    }
    this.count += a.length
    if (sampleMaxAbs > this.maxAbs) this.maxAbs = sampleMaxAbs
    const rel = reference > 0 ? sampleMaxAbs / reference : sampleMaxAbs > 0 ? Infinity : 0
    if (rel > this.maxRel) this.maxRel = rel
    this.sumRel += rel
    this.samples += 1
  }

  result(): OutputError {
    return {
      maxAbs: this.maxAbs,
      meanAbs: this.count > 0 ? this.sumAbs / this.count : 0,
      maxRel: this.maxRel,
      meanRel: this.samples > 0 ? this.sumRel / this.samples : 0
    }
  }
}
