// Follows one job by id: its state from jobs.get, then every jobs.updated and jobs.log event for it.
import { useEffect, useState } from 'react'
import type { Job, JobLogLine } from '../../../../shared/domain'
import { useClient } from '../../client/client-context'

export const isFinished = (j: Job | null): boolean => !!j && j.finishedAt !== null

export function useJob(jobId: string | null): { job: Job | null; log: JobLogLine[] } {
  const client = useClient()
  const [job, setJob] = useState<Job | null>(null)
  const [log, setLog] = useState<JobLogLine[]>([])
  useEffect(() => {
    setJob(null)
    setLog([])
    if (!jobId) return
    let alive = true
    // Events can arrive before jobs.get answers: keep lines by seq so none is lost or doubled.
    const add = (lines: JobLogLine[]) =>
      setLog((prev) => {
        const seen = new Set(prev.map((l) => l.seq))
        const fresh = lines.filter((l) => !seen.has(l.seq))
        return fresh.length ? [...prev, ...fresh].sort((a, b) => a.seq - b.seq) : prev
      })
    const offs = [
      client.on('jobs.updated', (j) => j.id === jobId && setJob(j)),
      client.on('jobs.log', (l) => l.jobId === jobId && add([l]))
    ]
    void client['jobs.get']({ id: jobId }).then((d) => {
      if (!alive) return
      const { steps: _s, log: lines, ...rest } = d
      setJob((prev) => (prev && prev.finishedAt !== null ? prev : rest))
      add(lines)
    })
    return () => {
      alive = false
      offs.forEach((off) => off())
    }
  }, [client, jobId])
  return { job, log }
}
