// Rate and ETA from progress samples. An exponentially weighted rate keeps the ETA from jumping
// about on a bursty link, while still following a real change of speed within a few seconds.
export class RateMeter {
  private lastAt: number | null = null
  private lastDone = 0
  private ewma: number | null = null

  constructor(private readonly halfLifeMs = 3000) {}

  sample(done: number, at: number): number | null {
    if (this.lastAt === null) {
      this.lastAt = at
      this.lastDone = done
      return null
    }
    const dt = at - this.lastAt
    if (dt < 200) return this.ewma
    const instant = ((done - this.lastDone) / dt) * 1000
    const alpha = 1 - Math.pow(0.5, dt / this.halfLifeMs)
    this.ewma = this.ewma === null ? instant : this.ewma + alpha * (instant - this.ewma)
    this.lastAt = at
    this.lastDone = done
    return this.ewma
  }

  eta(done: number, total: number | null): number | null {
    if (total === null || this.ewma === null || this.ewma <= 0) return null
    return Math.max(0, (total - done) / this.ewma)
  }
}
