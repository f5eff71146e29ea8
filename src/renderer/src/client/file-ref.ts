// How a file chosen in the UI reaches the main side: the desktop app passes its path (the preload's
// pathForFile), the station uploads its bytes and passes the upload id. Main checks both (api/user-files).
import type { Client } from './client-context'

export type FileRef = { path: string } | { upload: string }

export async function fileRefFor(client: Client, file: File, onProgress?: (sent: number) => void): Promise<FileRef> {
  const bridge = (window as unknown as { edgedock?: { pathForFile?: (f: File) => string } }).edgedock
  if (client.kind === 'electron' && bridge?.pathForFile) return { path: bridge.pathForFile(file) }
  onProgress?.(0)
  const res = await fetch('/upload', { method: 'POST', body: file, credentials: 'same-origin' })
  if (!res.ok) throw new Error(await res.text())
  onProgress?.(file.size)
  return (await res.json()) as { upload: string }
}
