// Raised by the log store when a batch would land on a cursor another process has moved since this
// stream read it: two processes following one unit (the app and `edgedock logs --follow`) then store
// each line once, the second standing back until the first stops.
export class StreamMovedError extends Error {
  constructor(key: { selector: string }) {
    super(`Another EdgeDock process is storing this unit's ${key.selector === 'all' ? 'journal' : key.selector} already; this one waits and takes over if it stops.`)
    this.name = 'StreamMovedError'
  }
}
