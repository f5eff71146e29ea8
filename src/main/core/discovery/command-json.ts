// A command's JSON output (`ip -j`, `lsblk --json`), or undefined when it is not JSON: an old tool
// without -j, or output cut short by a dropped link. The parsers then report nothing rather than throw.
export function commandJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}
