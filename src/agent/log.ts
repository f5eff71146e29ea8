// One line per event on stdout: journald stores it under the unit, `journalctl -u edgedock-inference`
// shows it, and the desktop's log stream can parse it back (logfmt: event key=value ...).

export type LogFields = Record<string, string | number | boolean | null | undefined>

export type Logger = (event: string, fields?: LogFields) => void

function quote(value: string): string {
  return /^[\w.:/@+-]*$/.test(value) && value !== '' ? value : JSON.stringify(value)
}

export function formatLogLine(event: string, fields: LogFields = {}): string {
  const parts = [event]
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue
    parts.push(`${key}=${quote(String(value))}`)
  }
  // Newlines inside a message would split one event over several journal entries.
  return parts.join(' ').replace(/[\r\n]+/g, ' ')
}

export function createStdoutLogger(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger {
  return (event, fields) => write(formatLogLine(event, fields))
}
