// The commands a log stream runs on a unit, built by the quoting module like every remote command.
import { cmd, type RemoteCommand } from '../ssh/remote-command'

/** What one stream follows on a unit. */
export type LogSelector = { kind: 'all' } | { kind: 'unit'; unit: string } | { kind: 'kernel' } | { kind: 'file'; path: string }

/** The inference service's unit, as resources/device installs it. */
export const INFERENCE_UNIT = 'edgedock-inference.service'

/** The key a stream's cursor is stored under. */
export function selectorKey(s: LogSelector): string {
  switch (s.kind) {
    case 'all':
      return 'all'
    case 'kernel':
      return 'kernel'
    case 'unit':
      return `unit:${s.unit}`
    case 'file':
      return `file:${s.path}`
  }
}

export interface JournalStart {
  /** Resume at this entry (it is returned again first, which tells whether it still exists). */
  cursor: string | null
  /** Entries to start with when there is no cursor. */
  lines: number
}

/**
 * `journalctl -o json --follow`. `--cursor` is used rather than `--after-cursor`: journald seeks to
 * the nearest entry when the cursor's entry is gone and says nothing, so only by getting the entry
 * itself back can the stream tell "resumed" from "entries were vacuumed in between"; `--after-cursor`
 * would hide that (and older journalctl also skipped one entry too many under a unit filter).
 * The kernel is matched by `_TRANSPORT=kernel` rather than `-k`, which implies `-b` and would make a
 * cursor from before a reboot unreachable. `--all` keeps long fields instead of printing null.
 */
export function journalCommand(selector: Exclude<LogSelector, { kind: 'file' }>, start: JournalStart): RemoteCommand {
  const argv = ['journalctl', '-o', 'json', '--all', '--no-pager', '--quiet', '--follow']
  argv.push(...(start.cursor !== null ? ['--cursor', start.cursor] : ['-n', String(start.lines)]))
  if (selector.kind === 'unit') argv.push('-u', selector.unit)
  if (selector.kind === 'kernel') argv.push('_TRANSPORT=kernel')
  return cmd(argv)
}

/** `tail -F` for a unit that logs to a file: follows the name across rotation. */
export function tailCommand(path: string, lines: number): RemoteCommand {
  return cmd(['tail', '-n', String(lines), '-F', '--', path])
}
