// Notices when the push moves `current`. fs.watch on the models directory reports the rename of the
// temporary link onto `current` at once; the poll catches what fs.watch misses (overlay and network
// filesystems, an inotify limit reached) at the cost of one readlink every pollMs.
import { watch, type FSWatcher } from 'node:fs'
import type { Logger } from './log'

export interface WatchOptions {
  modelsDir: string
  pollMs: number
  onChange: () => void
  log: Logger
  /** Coalesces the burst of events one `mv -T` produces. */
  debounceMs?: number
}

export function watchCurrent(options: WatchOptions): () => void {
  const { modelsDir, pollMs, onChange, log } = options
  const debounceMs = options.debounceMs ?? 50
  let timer: NodeJS.Timeout | null = null
  const trigger = (): void => {
    if (timer) return
    timer = setTimeout(() => {
      timer = null
      onChange()
    }, debounceMs)
  }
  let watcher: FSWatcher | null = null
  let reported = false
  const arm = (): void => {
    try {
      const w = watch(modelsDir, { persistent: false }, trigger)
      w.on('error', (err) => {
        if (!reported) log('watch-failed', { dir: modelsDir, message: err.message, fallback: `poll ${pollMs}ms` })
        reported = true
        w.close()
        if (watcher === w) watcher = null
      })
      watcher = w
      if (reported) log('watch-started', { dir: modelsDir })
    } catch (err) {
      // The models directory may not exist before the first push; the poll covers it until it does.
      if (!reported) log('watch-unavailable', { dir: modelsDir, message: err instanceof Error ? err.message : String(err), fallback: `poll ${pollMs}ms` })
      reported = true
    }
  }
  arm()
  const poll = setInterval(() => {
    if (!watcher) arm()
    onChange()
  }, pollMs)
  poll.unref()
  return () => {
    clearInterval(poll)
    if (timer) clearTimeout(timer)
    watcher?.close()
  }
}
