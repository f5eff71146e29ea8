// The part of the log the Logs page holds: pages read back by row id as the list scrolls up
// (never the whole log at once), newer lines polled while following, and a fresh start whenever
// the filter changes. Answers to an older filter are dropped.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { LogFilterInput, LogLineView } from '../../../shared/contract-logs'
import { useClient } from '../client/client-context'

export const PAGE_LINES = 2000
const POLL_MS = 1000

export interface LogWindow {
  rows: LogLineView[]
  hasOlder: boolean
  /** Lines matching the filter in all (what is loaded plus what is not). */
  total: number | null
  loading: boolean
  /** Rows just put in front of the others, for the list to keep its place; changes with every load. */
  shift: { seq: number; prepended: number }
  error: unknown
}

const empty: LogWindow = { rows: [], hasOlder: false, total: null, loading: true, shift: { seq: 0, prepended: 0 }, error: null }

export function useLogWindow(filter: LogFilterInput, following: boolean): { win: LogWindow; loadOlder: () => void } {
  const client = useClient()
  const [win, setWin] = useState<LogWindow>(empty)
  const gen = useRef(0)
  const busy = useRef(false)
  const winRef = useRef(win)
  winRef.current = win
  const key = JSON.stringify(filter)

  useEffect(() => {
    const mine = ++gen.current
    busy.current = true
    setWin((w) => ({ ...empty, rows: w.rows, shift: w.shift }))
    client['logs.query']({ ...filter, limit: PAGE_LINES }).then(
      (r) => {
        if (mine !== gen.current) return
        busy.current = false
        setWin((w) => ({ rows: r.lines, hasOlder: r.hasOlder, total: r.total, loading: false, shift: { seq: w.shift.seq + 1, prepended: 0 }, error: null }))
      },
      (error: unknown) => {
        if (mine !== gen.current) return
        busy.current = false
        setWin({ ...empty, loading: false, error })
      }
    )
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, key])

  const loadOlder = useCallback(() => {
    const first = winRef.current.rows[0]
    if (busy.current || !winRef.current.hasOlder || !first) return
    const mine = gen.current
    busy.current = true
    void client['logs.query']({ ...filter, limit: PAGE_LINES, beforeId: first.id, total: false }).then(
      (r) => {
        busy.current = false
        if (mine !== gen.current) return
        setWin((w) => ({ ...w, rows: [...r.lines, ...w.rows], hasOlder: r.hasOlder, shift: { seq: w.shift.seq + 1, prepended: r.lines.length } }))
      },
      () => (busy.current = false)
    )
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, key])

  useEffect(() => {
    if (!following) return
    const tick = () => {
      const w = winRef.current
      if (busy.current || w.loading) return
      const mine = gen.current
      busy.current = true
      const last = w.rows.at(-1)
      void client['logs.query']({ ...filter, limit: 5000, total: false, ...(last ? { afterId: last.id } : {}) }).then(
        (r) => {
          busy.current = false
          if (mine !== gen.current || r.lines.length === 0) return
          setWin((x) => {
            // With nothing loaded the answer is the newest page itself, not lines after it.
            const rows = last ? [...x.rows, ...r.lines] : r.lines
            return { ...x, rows, hasOlder: last ? x.hasOlder : r.hasOlder, total: x.total === null ? null : x.total + (last ? r.lines.length : rows.length), shift: { seq: x.shift.seq + 1, prepended: 0 } }
          })
        },
        () => (busy.current = false)
      )
    }
    const t = setInterval(tick, POLL_MS)
    return () => clearInterval(t)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, key, following])

  return { win, loadOlder }
}
