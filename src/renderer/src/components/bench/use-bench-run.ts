// One run kept current: loaded once, each cell replaced as bench.cell reports it, and reloaded
// (at most once a second) when the run's job changes, since a job's end can settle cells whose
// last event was missed while the station reconnected.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { BenchRunDetail } from '../../../../shared/bench-run'
import { useClient } from '../../client/client-context'

const RELOAD_EVERY_MS = 1000

export function useBenchRun(runId: string): { run: BenchRunDetail | null; error: unknown; reload: () => void } {
  const client = useClient()
  const [run, setRun] = useState<BenchRunDetail | null>(null)
  const [error, setError] = useState<unknown>(null)
  const jobId = useRef<string | null>(null)
  const last = useRef(0)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)

  const load = useCallback(() => {
    last.current = Date.now()
    client['bench.get']({ id: runId }).then(
      (r) => {
        jobId.current = r.jobId
        setRun(r)
        setError(null)
      },
      (e: unknown) => setError(e)
    )
  }, [client, runId])

  const reload = useCallback(() => {
    if (timer.current) return
    const wait = Math.max(0, last.current + RELOAD_EVERY_MS - Date.now())
    timer.current = setTimeout(() => {
      timer.current = null
      load()
    }, wait)
  }, [load])

  useEffect(() => {
    load()
    const offCell = client.on('bench.cell', (cell) => {
      if (cell.runId !== runId) return
      setRun((prev) => (prev ? { ...prev, cells: prev.cells.map((c) => (c.id === cell.id ? cell : c)) } : prev))
    })
    const offJob = client.on('jobs.updated', (job) => {
      if (job.id === jobId.current) reload()
    })
    return () => {
      offCell()
      offJob()
      if (timer.current) clearTimeout(timer.current)
      timer.current = null
    }
  }, [client, runId, load, reload])

  return { run, error, reload }
}
