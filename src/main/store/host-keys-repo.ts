// Pinned SSH host keys (trust on first use). A changed key is detected by comparing with this table;
// re-pinning is an explicit action recorded in history by the caller.
import type Database from 'better-sqlite3'

export interface PinnedHostKey {
  host: string
  port: number
  algorithm: string
  fingerprint: string
  pinnedAt: number
}

export function createHostKeysRepo(db: Database.Database) {
  const get = db.prepare<[string, number], { host: string; port: number; algorithm: string; fingerprint: string; pinned_at: number }>(
    'SELECT * FROM host_keys WHERE host = ? AND port = ?'
  )
  const upsert = db.prepare(`INSERT INTO host_keys (host, port, algorithm, fingerprint, pinned_at)
    VALUES (@host, @port, @algorithm, @fingerprint, @pinnedAt)
    ON CONFLICT (host, port) DO UPDATE SET algorithm = excluded.algorithm, fingerprint = excluded.fingerprint,
    pinned_at = excluded.pinned_at`)
  const remove = db.prepare<[string, number]>('DELETE FROM host_keys WHERE host = ? AND port = ?')
  return {
    get(host: string, port: number): PinnedHostKey | undefined {
      const r = get.get(host, port)
      return r && { host: r.host, port: r.port, algorithm: r.algorithm, fingerprint: r.fingerprint, pinnedAt: r.pinned_at }
    },
    pin(key: PinnedHostKey): void {
      upsert.run(key)
    },
    forget(host: string, port: number): boolean {
      return remove.run(host, port).changes > 0
    }
  }
}
export type HostKeysRepo = ReturnType<typeof createHostKeysRepo>
