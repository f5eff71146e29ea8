// Rates and ETAs as a technician reads them, the same in the UI and on the terminal.
export function formatRate(rate: number | null, unit: 'bytes' | 'items'): string {
  if (rate === null) return ''
  if (unit === 'items') return `${rate.toFixed(1)}/s`
  return `${formatBytes(rate)}/s`
}

/** 9 B, 1.9 MB, 47 MB: three figures at most. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB']
  let v = bytes
  let i = 0
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000
    i++
  }
  return `${v.toFixed(v < 10 && i > 0 ? 1 : 0)} ${units[i]}`
}

export function formatEta(seconds: number | null): string {
  if (seconds === null) return ''
  if (seconds < 60) return `${Math.ceil(seconds)}s`
  return `${Math.floor(seconds / 60)}m ${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`
}

/** Who runs a job, as the Jobs list and `edgedock jobs` show it: "station (pid 812)", "cli pid 4410". */
export function describeOwner(owner: { label: 'station' | 'desktop' | 'cli'; pid: number }): string {
  return owner.label === 'cli' ? `cli pid ${owner.pid}` : `${owner.label} (pid ${owner.pid})`
}
