// Child process for the concurrent-writers test: opens the shared database the way every EdgeDock
// process does and adds rows one transaction at a time, so each row contends for the write lock.
import { openDatabase } from '../../../src/main/store/open-database'
import { createHistoryRepo } from '../../../src/main/store/history-repo'

const [file = '', label = '', count = '0'] = process.argv.slice(2)
try {
  const db = openDatabase(file)
  const history = createHistoryRepo(db)
  const add = db.transaction((i: number) =>
    history.add({ kind: 'test.row', deviceId: null, deviceName: null, jobId: null, summary: `${label} ${i}`, outcome: 'ok' })
  )
  for (let i = 0; i < Number(count); i++) add.immediate(i)
  db.close()
} catch (err) {
  const e = err as { code?: string; message?: string }
  process.stderr.write(`${e.code ?? 'ERROR'}: ${e.message ?? String(err)}\n`)
  process.exit(1)
}
