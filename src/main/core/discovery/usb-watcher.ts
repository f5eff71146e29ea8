// Hotplug without a rescan button: polls the USB snapshot (and rescans at once when an optional
// trigger such as `udevadm monitor` reports an event), emitting only real differences.

import { diffUsbSnapshots, isEmptyDiff, type UsbDiff, type UsbSnapshot } from './usb-inventory'

export interface UsbWatcherOptions {
  scan: () => Promise<UsbSnapshot>
  onChange: (diff: UsbDiff, snapshot: UsbSnapshot) => void
  onError?: (error: unknown) => void
  /** poll period; 1.5 s feels immediate to a person plugging a cable */
  intervalMs?: number
  /**
   * Optional push source; calls `rescan` on each event and returns a stop function.
   * With one, polling still runs (slower is fine) in case the monitor dies.
   */
  trigger?: (rescan: () => void) => () => void
}

export interface UsbWatcher {
  /** resolves after the first scan, so the caller has a baseline */
  ready: Promise<UsbSnapshot | null>
  current(): UsbSnapshot | null
  stop(): void
}

export function watchUsb(options: UsbWatcherOptions): UsbWatcher {
  const intervalMs = options.intervalMs ?? 1500
  let snapshot: UsbSnapshot | null = null
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  let running: Promise<void> | null = null
  let again = false

  async function scanOnce(): Promise<void> {
    try {
      const next = await options.scan()
      if (stopped) return
      const diff = diffUsbSnapshots(snapshot, next)
      const first = snapshot === null
      snapshot = next
      if (!first && !isEmptyDiff(diff)) options.onChange(diff, next)
    } catch (error) {
      options.onError?.(error)
    }
  }

  // Never two scans at once; an event during a scan schedules exactly one more.
  function rescan(): Promise<void> {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      do {
        again = false
        await scanOnce()
      } while (again && !stopped)
      running = null
    })()
    return running
  }

  function schedule(): void {
    if (stopped) return
    timer = setTimeout(() => {
      void rescan().then(schedule)
    }, intervalMs)
  }

  const stopTrigger = options.trigger?.(() => void rescan())
  const ready = rescan().then(() => {
    schedule()
    return snapshot
  })

  return {
    ready,
    current: () => snapshot,
    stop() {
      stopped = true
      if (timer !== undefined) clearTimeout(timer)
      stopTrigger?.()
    }
  }
}
