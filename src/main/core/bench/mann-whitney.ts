// Whether two latency samples differ by more than run-to-run noise: the Mann-Whitney U test
// (two-sided, normal approximation with tie correction), which assumes no distribution; latency
// distributions are skewed and often bimodal, so a t-test on means would mislead.

/** Standard normal upper tail, by the Abramowitz-Stegun 7.1.26 erfc approximation (error < 1.5e-7). */
function normalTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2
  const t = 1 / (1 + 0.3275911 * x)
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x)
  return z >= 0 ? erfc / 2 : 1 - erfc / 2
}

/** Two-sided p-value; null when either side has fewer than 2 samples. */
export function mannWhitneyP(a: readonly number[], b: readonly number[]): number | null {
  const n1 = a.length
  const n2 = b.length
  if (n1 < 2 || n2 < 2) return null
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v)
  const n = all.length
  let rankSumA = 0
  let tieTerm = 0
  for (let i = 0; i < n; ) {
    let j = i
    while (j + 1 < n && (all[j + 1] as { v: number }).v === (all[i] as { v: number }).v) j++
    const rank = (i + j) / 2 + 1
    const t = j - i + 1
    tieTerm += t ** 3 - t
    for (let k = i; k <= j; k++) if ((all[k] as { g: number }).g === 0) rankSumA += rank
    i = j + 1
  }
  const u = rankSumA - (n1 * (n1 + 1)) / 2
  const mean = (n1 * n2) / 2
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)))
  if (variance <= 0) return 1
  // Continuity correction towards the mean.
  const z = (Math.abs(u - mean) - 0.5) / Math.sqrt(variance)
  return Math.min(1, 2 * normalTail(Math.max(0, z)))
}
