// The empirical CDF of a cell's raw latencies, thinned for drawing: a 100k-run cell would make
// uPlot join and draw 100k points per line, and a few hundred evenly spaced ranks look the same.
export interface CdfLine {
  /** Latency in ms, ascending. */
  x: number[]
  /** Fraction of runs at or below x, in (0, 1]. */
  y: number[]
}

export function cdfOf(samplesMs: readonly number[], maxPoints = 600): CdfLine {
  const sorted = samplesMs.filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
  const n = sorted.length
  if (n === 0) return { x: [], y: [] }
  const keep = Math.max(2, maxPoints)
  const x: number[] = []
  const y: number[] = []
  const push = (i: number) => {
    const v = sorted[i] as number
    // Equal latencies (timer resolution) collapse to the highest rank, so the step reads right.
    if (x.length > 0 && x[x.length - 1] === v) y[y.length - 1] = (i + 1) / n
    else {
      x.push(v)
      y.push((i + 1) / n)
    }
  }
  if (n <= keep) for (let i = 0; i < n; i++) push(i)
  else for (let k = 0; k < keep; k++) push(Math.round((k * (n - 1)) / (keep - 1)))
  return { x, y }
}

/** Several lines on one x axis (uPlot's aligned data): x is the union, a line is null where it has no point. */
export function alignLines(lines: readonly CdfLine[]): [number[], ...(number | null)[][]] {
  const xs = [...new Set(lines.flatMap((l) => l.x))].sort((a, b) => a - b)
  const at = new Map(xs.map((v, i) => [v, i]))
  const ys = lines.map((l) => {
    const col: (number | null)[] = new Array<number | null>(xs.length).fill(null)
    l.x.forEach((v, i) => (col[at.get(v) as number] = l.y[i] as number))
    return col
  })
  return [xs, ...ys]
}
