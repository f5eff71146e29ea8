// A process that ingests a numbered journal slowly into the database named on its command line and
// reports each stored batch on stdout, for the test that kills it mid-stream.
import { JournalStream } from '../../../../../src/main/core/logs/journal-stream'
import { createLogsRepo } from '../../../../../src/main/store/logs-repo'
import { FakeJournal } from './fake-journal'
import { openLogsDb } from './log-db'

const repo = createLogsRepo(openLogsDb(process.argv[2] as string))
const journal = new FakeJournal().add(1, 5000)
const slow = {
  async open(...args: Parameters<FakeJournal['open']>) {
    const inner = await journal.open(...args)
    async function* lines() {
      let n = 0
      for await (const line of inner.lines) {
        if (++n % 10 === 0) await new Promise((r) => setTimeout(r, 1))
        yield line
      }
    }
    return { ...inner, lines: lines() }
  }
}
const stream = new JournalStream({ deviceId: 'd1', selector: { kind: 'all' }, shell: slow, sink: repo, batchLines: 25, initialLines: 100_000 })
stream.on('batch', () => process.stdout.write(`stored ${repo.count()}\n`))
stream.start()
