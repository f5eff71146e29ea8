// Writes fixture models to a temporary folder, since engines open models by path.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export async function modelFolder(): Promise<{ write(name: string, bytes: Uint8Array): Promise<string>; dispose(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'edgedock-ort-'))
  return {
    async write(name, bytes) {
      const path = join(dir, name)
      await writeFile(path, bytes)
      return path
    },
    dispose: () => rm(dir, { recursive: true, force: true })
  }
}
