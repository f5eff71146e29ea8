// Proves the quoting by running it: each built line goes through a real /bin/sh (dash) and bash with
// `printf '%s\0'`, and every argument must come back byte for byte. Hostile strings come from
// fast-check: shell syntax, quotes, newlines, unicode, leading dashes.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { and, cmd, or, pipeline, quoteArg, redirect, shC, sudo, withEnv, type RemoteCommand } from '../../../../../src/main/core/ssh/remote-command'

const SHELLS = ['/bin/sh', '/bin/bash']
const PRINT = ['printf', '%s\\0']

function runLocal(shell: string, c: RemoteCommand): Buffer {
  const r = spawnSync(shell, ['-c', c.line], { maxBuffer: 1 << 24 })
  if (r.status !== 0) throw new Error(`${shell} exited ${r.status}: ${r.stderr.toString()}\n${c.line}`)
  return r.stdout
}

function splitNul(out: Buffer): Buffer[] {
  const parts: Buffer[] = []
  let start = 0
  for (let i = 0; i < out.length; i++) {
    if (out[i] === 0) {
      parts.push(out.subarray(start, i))
      start = i + 1
    }
  }
  expect(start).toBe(out.length)
  return parts
}

function expectArrived(out: Buffer, args: readonly string[]) {
  expect(splitNul(out).map((b) => b.toString('hex'))).toEqual(args.map((a) => Buffer.from(a, 'utf8').toString('hex')))
}

const hostileToken = fc.constantFrom(
  ';', '$(id)', '$(', ')', '`id`', '`', "'", '"', "'\\''", '\n', '\r\n', '\t', ' ', '\\', '$HOME', '${IFS}', '*', '?', '[a]',
  '~', '~root', '-', '--', '-rf', '--help', '&', '&&', '|', '||', '>', '>>', '<', '2>&1', '#', '!', '!!', '{', '}', '{a,b}', '%1',
  'a=b', 'A=1', 'é', '中文', '🙂', '\u202e', '\u00a0', '\x7f', '\x1b[31m', '\x01'
)
const hostile = fc.oneof(
  fc.array(hostileToken, { maxLength: 6 }).map((t) => t.join('')),
  fc.string({ unit: 'binary', maxLength: 20 }).map((s) => s.replaceAll('\0', '')),
  fc.tuple(fc.constantFrom('-', '--', '-n'), fc.string({ unit: 'grapheme-ascii', maxLength: 8 })).map(([a, b]) => a + b.replaceAll('\0', ''))
)
const args = fc.array(hostile, { minLength: 1, maxLength: 5 })

describe('quoting, run through a real shell', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'edgedock-quote-'))
  afterAll(() => rmSync(tmp, { recursive: true, force: true }))

  for (const shell of SHELLS) {
    it(`every argument arrives byte-identical through ${shell}`, () => {
      fc.assert(
        fc.property(args, (a) => expectArrived(runLocal(shell, cmd([...PRINT, ...a])), a)),
        { numRuns: 150 }
      )
    })
  }

  it('keeps the arguments through sh -c, nested twice, and through a pipeline', () => {
    fc.assert(
      fc.property(args, (a) => {
        const print = cmd([...PRINT, ...a])
        expectArrived(runLocal('/bin/sh', shC(shC(print))), a)
        expectArrived(runLocal('/bin/bash', pipeline(print, ['cat'], ['cat'])), a)
        expectArrived(runLocal('/bin/sh', and(['true'], print)), a)
        expectArrived(runLocal('/bin/sh', or(['false'], print)), a)
      }),
      { numRuns: 60 }
    )
  })

  it('passes hostile environment values literally', () => {
    fc.assert(
      fc.property(hostile, (v) => {
        expect(runLocal('/bin/sh', withEnv({ EDGEDOCK_X: v }, ['printenv', 'EDGEDOCK_X'])).toString('utf8')).toBe(`${v}\n`)
      }),
      { numRuns: 60 }
    )
  })

  it('writes to a file whose name is hostile, and reads from it', () => {
    fc.assert(
      fc.property(hostile.filter((s) => s.length > 0 && !s.includes('/') && s !== '.' && s !== '..'), args, (name, a) => {
        const file = path.join(tmp, name)
        runLocal('/bin/sh', redirect(cmd([...PRINT, ...a]), { stdout: file, stderr: { to: 'null' } }))
        expectArrived(readFileSync(file), a)
        expectArrived(runLocal('/bin/bash', redirect(['cat'], { stdin: file })), a)
        rmSync(file)
      }),
      { numRuns: 40 }
    )
  })

  const hasSudo = spawnSync('sudo', ['-n', 'true']).status === 0
  it.skipIf(!hasSudo)('keeps the arguments under sudo -n, for simple and compound commands', () => {
    fc.assert(
      fc.property(args, (a) => {
        expectArrived(runLocal('/bin/sh', sudo(cmd([...PRINT, ...a]))), a)
        expectArrived(runLocal('/bin/sh', sudo(pipeline(cmd([...PRINT, ...a]), ['cat']))), a)
      }),
      { numRuns: 15 }
    )
  })
})

describe('what the quoting refuses', () => {
  it('refuses a NUL byte: it could not arrive in an argv', () => {
    expect(() => cmd(['echo', 'a\0b'])).toThrow(/argument 2 .*NUL/)
  })
  it('refuses a lone surrogate, accepts a proper pair', () => {
    expect(() => quoteArg('a\uD800b')).toThrow(/not valid Unicode/)
    expect(quoteArg('🙂')).toBe("'🙂'")
  })
  it('refuses an empty command and a bad variable name', () => {
    expect(() => cmd([])).toThrow()
    expect(() => cmd([''])).toThrow()
    expect(() => withEnv({ 'A;B': 'x' }, ['true'])).toThrow(/environment variable name/)
  })
  it('keeps plain words bare so logs stay legible', () => {
    expect(cmd(['sudo', 'hostnamectl', 'set-hostname', 'door-1']).line).toBe('sudo hostnamectl set-hostname door-1')
    expect(sudo(['systemctl', 'reload', 'ssh']).line).toBe('sudo -n -- systemctl reload ssh')
    expect(cmd(['echo', 'a=b', '%1', '~']).line).toBe("echo 'a=b' '%1' '~'")
    expect(cmd(['time', 'ls']).line).toBe("'time' ls")
    expect(spawnSync('/bin/bash', ['-c', cmd(['time', '-V']).line]).stderr.toString()).not.toMatch(/^real/m)
  })
  it('builds objects nothing else can forge', () => {
    const forged = { line: 'rm -rf /', argv: null }
    expect(() => pipeline(forged as unknown as RemoteCommand, ['cat'])).toThrow()
  })
})
