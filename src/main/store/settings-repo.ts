// Settings as key/value rows, validated on the way out so a hand-edited database can't break the UI.
import type Database from 'better-sqlite3'
import { defaultSettings, settingsSchema, type Settings } from '../../shared/domain'

export function createSettingsRepo(db: Database.Database) {
  const all = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings')
  const put = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
  return {
    get(): Settings {
      const stored = Object.fromEntries(all.all().map((r) => [r.key, JSON.parse(r.value) as unknown]))
      const merged = { ...defaultSettings, ...stored }
      const parsed = settingsSchema.safeParse(merged)
      return parsed.success ? parsed.data : defaultSettings
    },
    set(patch: Partial<Settings>): Settings {
      db.transaction(() => {
        for (const [k, v] of Object.entries(patch)) if (v !== undefined) put.run(k, JSON.stringify(v))
      })()
      return this.get()
    }
  }
}
export type SettingsRepo = ReturnType<typeof createSettingsRepo>
