// The lint rule that keeps string-built remote commands out (the quoting module is the only way to build one),
// checked against the project's own eslint.config.js with snippets placed where they would live.
import { ESLint } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'

let eslint: ESLint
beforeAll(() => {
  eslint = new ESLint({ cwd: process.cwd() })
})

async function messages(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`)
}

describe('remote-command lint rules', () => {
  it('bans the SSH library and child_process outside their owners', async () => {
    expect(await messages("import { Client } from 'ssh2'\nvoid Client\n", 'src/main/core/provision/probe.ts')).toEqual([
      expect.stringContaining('Only src/main/core/ssh may use the SSH library')
    ])
    expect(await messages("import { NodeSSH } from 'node-ssh'\nvoid NodeSSH\n", 'src/main/cli/probe.ts')).toHaveLength(1)
    expect(await messages("import { spawn } from 'node:child_process'\nvoid spawn\n", 'src/main/core/provision/probe.ts')).toEqual([
      expect.stringContaining('Local processes go through the module that owns them')
    ])
    expect(await messages("import { spawn } from 'node:child_process'\nvoid spawn\n", 'src/main/core/ssh/probe.ts')).toHaveLength(1)
    expect(await messages("import { spawn } from 'node:child_process'\nvoid spawn\n", 'src/main/core/discovery/local-command-runner.ts')).toEqual([])
    expect(await messages("import electron from 'electron'\nvoid electron\n", 'src/main/core/ssh/probe.ts')).toHaveLength(1)
  })

  it('bans exec with a command string built from data, and sh -c scripts built from data', async () => {
    const f = 'src/main/core/provision/probe.ts'
    expect(await messages('declare const c: { execCommand(s: string): void }\nc.execCommand("ls")\n', f)).toHaveLength(1)
    expect(await messages('declare const c: { exec(s: string): void }\ndeclare const n: string\nc.exec(`rm ${n}`)\n', f)).toHaveLength(1)
    expect(await messages("declare const c: { exec(s: string): void }\ndeclare const n: string\nc.exec('rm ' + n)\n", f)).toHaveLength(1)
    expect(await messages("declare const n: string\nexport const a = ['sh', '-c', `hostname ${n}`]\n", f)).toHaveLength(1)
    expect(await messages("declare const n: string\nexport const a = ['/bin/bash', '-c', 'echo ' + n]\n", f)).toHaveLength(1)
    // Regular expressions and fixed scripts stay allowed.
    expect(await messages("declare const s: string\nexport const m = /a(b)/.exec(s)\nexport const a = ['sh', '-c', 'ls /sys']\n", f)).toEqual([])
  })

  it('inside the SSH layer, only the session module opens channels', async () => {
    const code = "declare const c: { exec(s: string): void }\nc.exec('ls')\n"
    expect(await messages(code, 'src/main/core/ssh/read-host-key.ts')).toEqual([expect.stringContaining('Only ssh-session.ts opens channels')])
    expect(await messages(code, 'src/main/core/ssh/ssh-session.ts')).toEqual([])
    expect(await messages("declare const s: string\nexport const m = /a/.exec(s)\n", 'src/main/core/ssh/host-key.ts')).toEqual([])
  })
})
