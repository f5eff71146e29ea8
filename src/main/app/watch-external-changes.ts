// SQLite's data_version changes when another connection (the CLI, another station) commits.
// Polling it once a second lets the UI follow `edgedock devices add` without a reload.
import type Database from 'better-sqlite3'

export function watchExternalChanges(db: Database.Database, onChange: () => void, intervalMs = 1000): () => void {
  const read = () => db.pragma('data_version', { simple: true }) as number
  let last = read()
  const timer = setInterval(() => {
    if (!db.open) return
    const v = read()
    if (v !== last) {
      last = v
      onChange()
    }
  }, intervalMs)
  timer.unref()
  return () => clearInterval(timer)
}
