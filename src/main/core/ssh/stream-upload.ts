// A local file sent as one byte stream into a command's stdin on the unit (`dd of=…`, or a batch that
// prepares, writes and checks in one go), over a single exec channel. SFTP acknowledges every
// request, and the unit's sftp-server pays for each; a plain stream leaves the unit only the
// decryption and the write. Into a lab Pi (one emulated CPU, the unit the bottleneck) 46.7 MB took
// 4.8-6.5 s this way against 6.1-7.0 s over SFTP with the best request sizes.
//
// Progress is what dd reports it has written on the unit (once a second), not what this side has
// handed to SSH, which can run a whole window (2 MB: all of a small model) ahead of the wire.
//
// What it does not promise: that every byte arrived. A dropped link ends the stream early and `dd`
// then exits 0 on a short file, so callers check the file's sha256 on the unit afterwards (the model
// and runtime plans do). What it adds: a full disk or a bad path fails with dd's own words ("No space
// left on device"), where SFTP says only "Failure".
import { createReadStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import type { ClientChannel } from 'ssh2'
import { and, cmd, pipeline as pipe, redirect, type RemoteCommand } from './remote-command'

/**
 * The command that writes stdin to `remotePath` (replacing it), then sets its mode. `gunzip`: stdin is
 * gzip, unpacked on the way in; a damaged or cut-short stream fails with gzip's words (the pipeline's
 * status is gzip's), and the progress counts the bytes that came over the link.
 */
export function streamUploadCommand(remotePath: string, mode?: number, gunzip = false): RemoteCommand {
  // status=progress: dd says every second how many bytes it has written on the unit, which is the
  // progress a technician should see (what this side has sent runs up to SSH's window, 2 MB, ahead).
  const write = gunzip
    ? pipe(cmd(['dd', 'bs=1M', 'status=progress']), redirect(cmd(['gzip', '-dc']), { stdout: remotePath }))
    : cmd(['dd', `of=${remotePath}`, 'bs=1M', 'status=progress'])
  return mode === undefined ? write : and(write, cmd(['chmod', mode.toString(8), '--', remotePath]))
}

// dd's progress and summary lines ("1048576 bytes (1.0 MB, 1.0 MiB) copied, 1.2 s, 874 kB/s", "2+1 records in").
const DD_PROGRESS = /^(\d+) bytes\b.*copied/
const DD_RECORDS = /^\d+\+\d+ records (in|out)$/
const ddNoise = (line: string) => DD_PROGRESS.test(line) || DD_RECORDS.test(line)

export interface StreamResult {
  code: number | null
  stdout: string
  /** What the command said on stderr, without dd's progress and summary lines. */
  stderr: string
}

/**
 * Feeds `localPath` (of `total` bytes) into a command's channel (opened by ssh-exec.ts) and
 * resolves with how the command ended, once the channel closed. Progress comes from dd on the unit;
 * `total` is reported when the command succeeds. A command that exits before reading everything
 * (a failed check ahead of the write) ends the stream early: that is its result, not an error.
 */
export function streamInto(channel: ClientChannel, localPath: string, total: number, onProgress?: (done: number, total: number) => void): Promise<StreamResult> {
  return new Promise<StreamResult>((resolve, reject) => {
    let stdout = ''
    let stderr = ''
    let partial = ''
    let code: number | null = null
    let reported = -1
    const report = (n: number) => {
      if (n > reported) onProgress?.((reported = n), total)
    }
    channel.on('data', (d: Buffer) => (stdout += d.toString()))
    channel.stderr.on('data', (d: Buffer) => {
      // dd rewrites its progress line with \r; other commands' lines pass through untouched.
      const parts = (partial + d.toString()).split(/(?<=[\r\n])/)
      partial = /[\r\n]$/.test(parts.at(-1) ?? '') ? '' : (parts.pop() ?? '')
      for (const part of parts) {
        const line = part.trim()
        const written = line.match(DD_PROGRESS)
        if (written) report(Math.min(Number(written[1]), total))
        if (!ddNoise(line)) stderr += part.replace(/\r$/, '\n')
      }
    })
    channel.on('exit', (c: number | null) => (code = c))
    let readError: Error | null = null
    channel.on('close', () => {
      if (partial && !ddNoise(partial.trim())) stderr += partial
      if (readError && code === null) return reject(readError)
      if (code === 0) report(total)
      resolve({ code, stdout, stderr })
    })
    report(0)
    pipeline(createReadStream(localPath, { highWaterMark: 256 * 1024 }), channel).catch((e: unknown) => {
      // The local file failed, or the command stopped reading: either way the channel is done.
      if (code === null) readError = e instanceof Error ? e : new Error(String(e))
      channel.close()
    })
  })
}
