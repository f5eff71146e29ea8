// Push trigger for the USB watcher: `udevadm monitor` prints a line per kernel/udev event, so a
// plug shows up at once instead of at the next poll. Where udevadm is missing this quietly does
// nothing and polling carries on alone.

import { spawn } from 'node:child_process'

export function udevMonitorTrigger(debounceMs = 300): (rescan: () => void) => () => void {
  return (rescan) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const child = spawn('udevadm', ['monitor', '--udev', '--subsystem-match=usb', '--subsystem-match=block', '--subsystem-match=tty'], {
      stdio: ['ignore', 'pipe', 'ignore']
    })
    child.on('error', () => undefined)
    // One plug is a burst of a dozen events: wait for the burst to end, then scan once.
    child.stdout.on('data', () => {
      if (timer !== undefined) clearTimeout(timer)
      timer = setTimeout(rescan, debounceMs)
    })
    return () => {
      if (timer !== undefined) clearTimeout(timer)
      child.kill()
    }
  }
}
