import { spawn } from 'node:child_process'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { migrations } from '../../../src/main/store/migrations'
import { tempDir } from '../../helpers/temp-dir'

const script = path.join(__dirname, 'insert-history-rows.ts')

function writer(file: string, label: string, rows: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, file, label, String(rows)], {
      cwd: path.resolve(__dirname, '../../..'),
      stdio: ['ignore', 'ignore', 'pipe']
    })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stderr }))
  })
}

describe('two EdgeDock processes writing the same database', () => {
  let cleanup = () => {}
  afterEach(() => cleanup())

  it('both finish without SQLITE_BUSY, even when they create the database together', async () => {
    const t = tempDir()
    cleanup = t.cleanup
    const file = path.join(t.dir, 'edgedock.db')

    const results = await Promise.all([writer(file, 'cli', 1000), writer(file, 'station', 1000)])
    expect(results).toEqual([
      { code: 0, stderr: '' },
      { code: 0, stderr: '' }
    ])

    const db = new Database(file, { readonly: true })
    const counts = db.prepare("SELECT summary LIKE 'cli %' AS cli, count(*) AS n FROM history GROUP BY 1 ORDER BY 1").all()
    expect(counts).toEqual([
      { cli: 0, n: 1000 },
      { cli: 1, n: 1000 }
    ])
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length)
    expect(db.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: migrations.length })
    db.close()
  })
})
