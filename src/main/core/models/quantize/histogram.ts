// Histogram calibration as in onnxruntime's calibrate.py: one histogram per tensor over a range
// symmetric around zero (so the zero bin is the middle one, which the entropy search needs), widened
// by re-binning when a later batch goes further out.
export interface Histogram { counts: Float64Array; absMax: number; min: number; max: number }

export function newHistogram(bins: number): Histogram {
  return { counts: new Float64Array(bins), absMax: 0, min: Infinity, max: -Infinity }
}

export function addToHistogram(h: Histogram, data: Float32Array): void {
  let lo = Infinity
  let hi = -Infinity
  for (const v of data) {
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  h.min = Math.min(h.min, lo)
  h.max = Math.max(h.max, hi)
  const bins = h.counts.length
  const absMax = Math.max(Math.abs(lo), Math.abs(hi))
  if (absMax > h.absMax) {
    const old = h.counts
    const oldWidth = (2 * h.absMax) / bins
    h.counts = new Float64Array(bins)
    const width = (2 * absMax) / bins
    for (let i = 0; i < bins; i++) {
      if (old[i] === 0) continue
      const centre = -h.absMax + (i + 0.5) * oldWidth
      h.counts[Math.min(bins - 1, Math.floor((centre + absMax) / width))]! += old[i]!
    }
    h.absMax = absMax
  }
  if (h.absMax === 0) {
    h.counts[bins >> 1]! += data.length
    return
  }
  const scale = bins / (2 * h.absMax)
  for (const v of data) h.counts[Math.min(bins - 1, Math.max(0, Math.floor((v + h.absMax) * scale)))]! += 1
}

const edge = (h: Histogram, i: number): number => -h.absMax + (i * 2 * h.absMax) / h.counts.length
const clip = (h: Histogram, lo: number, hi: number): [number, number] => [Math.max(lo, h.min), Math.min(hi, h.max)]

/** Cuts (100 - percentile)/2 % of the values off each end. */
export function percentileRange(h: Histogram, percentile: number): [number, number] {
  const total = h.counts.reduce((a, b) => a + b, 0)
  const cut = ((100 - percentile) / 200) * total
  let left = 0
  for (let acc = 0; left < h.counts.length - 1 && acc + h.counts[left]! <= cut; left++) acc += h.counts[left]!
  let right = h.counts.length - 1
  for (let acc = 0; right > 0 && acc + h.counts[right]! <= cut; right--) acc += h.counts[right]!
  return clip(h, edge(h, left), edge(h, right + 1))
}

/** ORT's get_entropy_threshold: the symmetric window around zero whose 128-level quantization keeps
 *  the KL divergence to the full distribution smallest. */
export function entropyRange(h: Histogram, quantizedBins = 128): [number, number] {
  const hist = h.counts
  const bins = hist.length
  const zero = bins >> 1
  const half = quantizedBins >> 1
  let best: [number, number] = [edge(h, 0), edge(h, bins)]
  let bestKl = Infinity
  for (let i = half; i <= zero; i++) {
    const start = zero - i
    const end = Math.min(bins, zero + i + 1)
    const p = Array.from(hist.subarray(start, end))
    for (let k = 0; k < start; k++) p[0]! += hist[k]!
    for (let k = end; k < bins; k++) p[p.length - 1]! += hist[k]!
    const sliced = hist.subarray(start, end)
    const merged = Math.floor(sliced.length / quantizedBins)
    const q = new Array<number>(p.length).fill(0)
    for (let b = 0; b < quantizedBins; b++) {
      const s = b * merged
      const e = b === quantizedBins - 1 ? sliced.length : s + merged
      let sum = 0
      let nonzero = 0
      for (let k = s; k < e; k++) {
        sum += sliced[k]!
        if (p[k] !== 0) nonzero += 1
      }
      if (nonzero > 0) for (let k = s; k < e; k++) q[k] = p[k] === 0 ? 0 : sum / nonzero
    }
    const kl = klDivergence(smooth(p), smooth(q))
    if (kl < bestKl) {
      bestKl = kl
      best = [edge(h, start), edge(h, end)]
    }
  }
  return clip(h, best[0], best[1])
}

/** Moves a little mass onto empty bins so the divergence stays finite (ORT's smooth_distribution). */
function smooth(p: number[], eps = 0.0001): number[] | null {
  const zeros = p.filter((v) => v === 0).length
  const nonzeros = p.length - zeros
  if (nonzeros === 0) return null
  const eps1 = (eps * zeros) / nonzeros
  return p.map((v) => (v === 0 ? eps : v - eps1))
}

function klDivergence(p: number[] | null, q: number[] | null): number {
  if (!p || !q) return Infinity
  const sp = p.reduce((a, b) => a + b, 0)
  const sq = q.reduce((a, b) => a + b, 0)
  let kl = 0
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]! / sp
    const qi = q[i]! / sq
    if (pi > 0) kl += qi > 0 ? pi * Math.log(pi / qi) : Infinity
  }
  return kl
}
