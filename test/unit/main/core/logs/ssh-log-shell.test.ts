import { describe, expect, it } from 'vitest'
import { sshLogShell, type ChannelFlow, type StreamingExec } from '../../../../../src/main/core/logs/ssh-log-shell'
import { cmd } from '../../../../../src/main/core/ssh/remote-command'

type Opts = Parameters<StreamingExec['stream']>[1]

function fakeExec() {
  let opts!: Opts
  let finish!: (r: { code: number }) => void
  let fail!: (e: unknown) => void
  const flow = { paused: 0, resumed: 0 }
  const exec: StreamingExec = {
    stream: (_c, o) => {
      opts = o
      o.onFlow?.({ pause: () => flow.paused++, resume: () => flow.resumed++ } satisfies ChannelFlow)
      return new Promise((res, rej) => {
        finish = res
        fail = rej
        o.signal.addEventListener('abort', () => rej(new Error('aborted')))
      })
    }
  }
  return { exec, flow, out: (s: string) => opts.onStdout(s), err: (s: string) => opts.onStderr(s), finish: () => finish({ code: 0 }), fail: (e: unknown) => fail(e) }
}

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const got: string[] = []
  for await (const l of it) got.push(l)
  return got
}

describe('sshLogShell', () => {
  it('joins chunks into whole lines and gives the last one on a normal end', async () => {
    const f = fakeExec()
    const r = await sshLogShell(f.exec).open(cmd(['journalctl']), new AbortController().signal)
    f.out('{"a":1}\n{"b"')
    f.out(':2}\n{"c":3}')
    f.err('Failed to seek to cursor')
    f.finish()
    expect(await collect(r.lines)).toEqual(['{"a":1}', '{"b":2}', '{"c":3}'])
    expect(r.stderr()).toBe('Failed to seek to cursor')
  })

  it('throws after the whole lines when the link drops, leaving a cut line for the next read', async () => {
    const f = fakeExec()
    const r = await sshLogShell(f.exec).open(cmd(['journalctl']), new AbortController().signal)
    f.out('one\ntwo\nthr')
    f.fail(new Error('link lost'))
    const got: string[] = []
    await expect(
      (async () => {
        for await (const l of r.lines) got.push(l)
      })()
    ).rejects.toThrow('link lost')
    expect(got).toEqual(['one', 'two'])
  })

  it('pauses the channel while the buffer is full and resumes once it drains', async () => {
    const f = fakeExec()
    const r = await sshLogShell(f.exec, 10).open(cmd(['journalctl']), new AbortController().signal)
    f.out(Array.from({ length: 12 }, (_, i) => `l${i}\n`).join(''))
    expect(f.flow).toEqual({ paused: 1, resumed: 0 })
    const it = r.lines[Symbol.asyncIterator]()
    for (let i = 0; i < 8; i++) await it.next()
    expect(f.flow.resumed).toBe(1)
    r.close()
    await expect(it.next()).rejects.toThrow('aborted')
  })
})
