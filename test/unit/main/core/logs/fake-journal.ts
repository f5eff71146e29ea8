// A unit's journal for the stream tests: numbered entries as `journalctl -o json` prints them, served
// the way journalctl serves `--cursor C` / `-n N` with `--follow`, with link cuts on demand.
import type { RemoteCommand } from '../../../../../src/main/core/ssh/remote-command'
import type { LogShell, RemoteLines } from '../../../../../src/main/core/logs/journal-stream'
import { cursorPosition } from '../../../../../src/main/core/logs/journal-json'

export const SEQNUM_ID = '4f1c0a1b2c3d4e5f60718293a4b5c6d7'
export const BOOT_ID = '9a8b7c6d5e4f30211203f4e5d6c7b8a9'

export function entryJson(n: number, over: Record<string, unknown> = {}): string {
  const t = 1_764_000_000_000_000 + n * 1000
  return JSON.stringify({
    __CURSOR: `s=${SEQNUM_ID};i=${n.toString(16)};b=${BOOT_ID};m=${(n * 7).toString(16)};t=${t.toString(16)};x=${(n * 13).toString(16)}`,
    __REALTIME_TIMESTAMP: String(t),
    __MONOTONIC_TIMESTAMP: String(n * 1000),
    _BOOT_ID: BOOT_ID,
    PRIORITY: String(n % 8),
    _SYSTEMD_UNIT: 'edgedock-inference.service',
    SYSLOG_IDENTIFIER: 'edgedock-agent',
    MESSAGE: `line ${n} inference latency ${n % 100} ms`,
    ...over
  })
}

/** Deterministic randomness, so a failing run can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Entry {
  seq: number
  line: string
}

export class FakeJournal implements LogShell {
  entries: Entry[] = []
  /** Total lines delivered after which the link drops (each used once). */
  cuts: number[] = []
  delivered = 0
  readonly commands: RemoteCommand[] = []
  /** Text journalctl prints on stderr before exiting, for the next open only. */
  refuseWith: string | null = null

  add(from: number, to: number, line: (n: number) => string = (n) => entryJson(n)): this {
    for (let n = from; n <= to; n++) this.entries.push({ seq: n, line: line(n) })
    return this
  }

  /** As `journalctl --vacuum-*`: the oldest entries go. */
  vacuum(throughSeq: number): void {
    this.entries = this.entries.filter((e) => e.seq > throughSeq)
  }

  async open(command: RemoteCommand, signal: AbortSignal): Promise<RemoteLines> {
    this.commands.push(command)
    const argv = command.argv ?? []
    const refusal = this.refuseWith
    this.refuseWith = null
    const at = argv.indexOf('--cursor')
    let start = 0
    if (at >= 0) {
      const pos = cursorPosition(argv[at + 1] as string)
      const seq = pos ? parseInt(pos.seqnum, 16) : 0
      // journald seeks to the entry itself, or to the nearest one after it when it is gone.
      start = this.entries.findIndex((e) => e.seq >= seq)
      if (start < 0) start = this.entries.length
    } else {
      const n = Number(argv[argv.indexOf('-n') + 1])
      start = Math.max(0, this.entries.length - n)
    }
    const local = new AbortController()
    const stop = AbortSignal.any([signal, local.signal])
    const lines = async function* (this: FakeJournal): AsyncGenerator<string> {
      if (refusal !== null) return
      let i = start
      for (;;) {
        if (stop.aborted) throw new Error('channel closed')
        if (this.cuts.length > 0 && this.delivered >= (this.cuts[0] as number)) {
          this.cuts.shift()
          throw new Error('The connection to the unit dropped')
        }
        const e = this.entries[i]
        if (e) {
          i++
          this.delivered++
          // Output arrives in packets: let timers (the 100 ms flush) run now and then.
          if (this.delivered % 64 === 0) await new Promise((r) => setImmediate(r))
          yield e.line
        } else {
          await new Promise((r) => setTimeout(r, 2))
        }
      }
    }
    return { lines: lines.call(this), stderr: () => refusal ?? '', close: () => local.abort() }
  }
}
