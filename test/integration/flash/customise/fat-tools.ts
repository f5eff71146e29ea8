// The independent judges: mtools reads what EdgeDock wrote, fsck.fat checks the volume, both on
// the real image (mtools at the partition's offset, fsck on a copy of the partition's bytes).
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { PI_BOOT_OFFSET } from '../disk-image'

const env = { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin`, MTOOLS_SKIP_CHECK: '1' }

export const FAT_TOOLS = ['mdir', 'mtype', 'mmd', 'fsck.fat', 'openssl', 'ssh-keygen'] as const

export function missingFatTools(): string[] {
  return FAT_TOOLS.filter((t) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', t], { env }).status !== 0)
}

const at = (image: string) => `${image}@@${PI_BOOT_OFFSET}`

/** Bare long names in a directory of the boot partition, as mtools reads them. */
export function mdirNames(image: string, dir = '::/'): string[] {
  const out = execFileSync('mdir', ['-i', at(image), '-b', dir], { env, encoding: 'utf8' })
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.replace(/^::\/(?:[^/]+\/)*/, '').replace(/\/$/, ''))
}

export function mtype(image: string, file: string): Buffer {
  return execFileSync('mtype', ['-i', at(image), `::${file}`], { env, maxBuffer: 256 * 1024 * 1024 })
}

export function mmd(image: string, dir: string): void {
  execFileSync('mmd', ['-i', at(image), `::${dir}`], { env })
}

/** Runs `fsck.fat -n` on the partition's bytes; returns its exit status and output. */
export function fsckFat(image: string, sizeMiB: number): { status: number; output: string } {
  const part = path.join(path.dirname(image), `${path.basename(image)}.fsck`)
  writeFileSync(part, readFileSync(image).subarray(PI_BOOT_OFFSET, PI_BOOT_OFFSET + sizeMiB * 1024 * 1024))
  const r = spawnSync('fsck.fat', ['-n', '-v', part], { env, encoding: 'utf8' })
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` }
}

export function bootBytes(image: string, sizeMiB: number): Buffer {
  return readFileSync(image).subarray(PI_BOOT_OFFSET, PI_BOOT_OFFSET + sizeMiB * 1024 * 1024)
}

export function run(cmd: string, args: string[], input?: string): string {
  return execFileSync(cmd, args, { env, encoding: 'utf8', ...(input !== undefined ? { input } : {}) })
}
