// The "done when": hostnames or variables with shell characters are rejected by validation and
// nothing runs. Through the real CLI: exit status 1, a plain sentence naming the value, no job in the
// job list, nothing in history, and not one TCP connection to the unit (a listener that counts them).
import net from 'node:net'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../helpers/run-cli'
import { tempDir } from '../../helpers/temp-dir'

describe('provision refuses shell characters before anything runs (CLI)', () => {
  let connections = 0
  let server: net.Server
  let port = 0
  let data: { dir: string; cleanup: () => void }

  beforeAll(async () => {
    server = net.createServer((s) => {
      connections++
      s.destroy()
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    port = (server.address() as net.AddressInfo).port
  })
  afterEach(() => data?.cleanup())
  afterAll(() => new Promise((r) => server.close(r)))

  /** Runs the CLI and checks what every refusal must leave behind: nothing. */
  const refused = async (args: string[]) => {
    data = tempDir('edgedock-validation-')
    const r = await runCli(['--data-dir', data.dir, 'provision', ...args])
    expect(r.code, r.stderr).toBe(1)
    expect(r.stdout).toBe('')
    expect(JSON.parse((await runCli(['--data-dir', data.dir, 'jobs', '--json'])).stdout)).toEqual([])
    expect(JSON.parse((await runCli(['--data-dir', data.dir, 'history', '--json'])).stdout)).toEqual([])
    return r.stderr
  }

  it.each([
    ['hostname', 'door$(reboot)', '"$"'],
    ['hostname', 'door;reboot', '";"'],
    ['site', 'hq`id`', '"`"'],
    ['unit', '01|sh', '"|"'],
    ['unit', '01\nreboot', 'control character U+000a']
  ])('--var %s=%j is refused, naming the character', async (name, value, shown) => {
    const vars = { site: 'hq', unit: '01', [name]: value }
    const err = await refused([`pi@127.0.0.1:${port}`, '--profile', 'door-access-unit', ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}=${v}`])])
    expect(err).toContain(`variable "${name}"`)
    expect(err).toContain(`contains the shell character ${shown}`)
    expect(err).toMatch(/nothing was run on any unit/)
    expect(connections).toBe(0)
  })

  it('a site plan with one bad row: the line is named and no unit is contacted, not even the good ones', async () => {
    const plan = tempDir('edgedock-plan-')
    try {
      const csv = path.join(plan.dir, 'site-plan.csv')
      writeFileSync(csv, `target,site,unit\npi@127.0.0.1:${port},hq,01\nadmin@127.0.0.1:${port},hq,02\nops@127.0.0.1:${port},hq,0$(id)\n`)
      const err = await refused(['--vars-csv', csv, '--profile', 'door-access-unit'])
      expect(err).toMatch(/site plan \(CSV\) is not valid: .*line 4.*variable "unit": "0\$\(id\)" contains the shell character "\$"/)
      expect(connections).toBe(0)
    } finally {
      plan.cleanup()
    }
  })

  it('a unit address with shell characters is refused too', async () => {
    const err = await refused(['pi@door;reboot', '--profile', 'door-access-unit', '--var', 'site=hq', '--var', 'unit=01'])
    expect(err).toMatch(/pi@door;reboot/)
    expect(connections).toBe(0)
  })

  it('control: the same command with clean values does reach the listener (so the zeros above mean something)', async () => {
    data = tempDir('edgedock-validation-')
    const before = connections
    const r = await runCli(['--data-dir', data.dir, 'provision', `pi@127.0.0.1:${port}`, '--profile', 'door-access-unit', '--var', 'site=hq', '--var', 'unit=01', '--dry-run'])
    expect(r.code).toBe(1)
    expect(connections).toBeGreaterThan(before)
  })
})
