// Runs one piece of work per unit with at most `concurrency` at once. A unit's failure is its own:
// the others go on, and the caller gets every unit's outcome.
export async function runUnits<U, R>(units: readonly U[], concurrency: number, work: (unit: U, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(units.length)
  let next = 0
  const worker = async () => {
    while (next < units.length) {
      const i = next++
      results[i] = await work(units[i] as U, i)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, units.length)) }, worker))
  return results
}
