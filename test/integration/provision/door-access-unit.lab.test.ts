// The issue's "done when" on a real (virtual) Pi, through the real CLI run inside the lab's
// namespace (a technician's laptop on the unit's LAN) with the real runtime and model installers:
// door-access-unit on a fresh unit; the dry run before lists exactly the changes made; hostname kept
// across the reboot; key login works and password login is refused; time zone and locale set; the
// inference service serves the assigned model; the second run reports 0 changes.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../../src/main/app/create-app'
import type { FleetResult } from '../../../src/main/core/provision'
import { cmd } from '../../../src/main/core/ssh/remote-command'
import { tempDir } from '../../helpers/temp-dir'
import { inLabArgv, inventory, reset, type InventoryEntry } from '../../lab'
import { labSkipReason, releaseLab, useLab } from '../../lab/vitest'
import { digitsFile, edgedockInLab, PW_ENV, prepareDataDir } from '../deploy/deploy-lab'
import { run, sshArgv } from './lab-channel'

const skip = labSkipReason({ full: 1, net: 'ns' })
const VARS = { site: 'lab', unit: '01', timezone: 'Europe/Berlin', locale: 'en_GB.UTF-8', model: 'digits@1' }

const diffOf = (r: FleetResult) => (r.units[0]?.steps ?? []).filter((s) => s.changes.length > 0).map((s) => ({ step: s.id, changes: s.changes }))

describe.skipIf(skip)(`door-access-unit on a lab Pi${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let pi: InventoryEntry
  let labWasUp = false
  const data = tempDir('edgedock-provision-')
  const keyFile = () => path.join(data.dir, 'test-key')

  const provisionLab = async (dryRun: boolean) => {
    const args = ['--json', 'provision', `${pi.user}@${pi.ip}:${pi.port}`, '--profile', 'door-access-unit', '--password-env', PW_ENV]
    for (const [k, v] of Object.entries(VARS)) args.push('--var', `${k}=${v}`)
    const r = await edgedockInLab(data.dir, dryRun ? [...args, '--dry-run'] : args)
    const result = JSON.parse(r.stdout || '{}') as FleetResult
    expect(result.units, `${r.stdout}\n${r.stderr.slice(-3000)}`).toBeDefined()
    return { result, code: r.code, log: r.stderr }
  }
  // The test's own look at the unit, with a key of its own (installed before provisioning, as a
  // team's admin key would be), since the profile turns password login off.
  const onPi = (argv: string[]) => run([...sshArgv(pi, keyFile()), cmd(argv).line], undefined, 60_000)

  beforeAll(async () => {
    labWasUp = inventory().some((u) => u.kind === 'full')
    pi = (await useLab({ full: 1, net: 'ns' })).find((u) => u.kind === 'full') as InventoryEntry
    const made = await run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'admin@lab-test', '-f', keyFile()], undefined, 30_000)
    expect(made.code, made.stderr).toBe(0)
    const keyLine = `${readFileSync(`${keyFile()}.pub`, 'utf8').trim()}\n`
    const added = await run([...sshArgv(pi, '', { passwordOnly: true }), cmd(['sh', '-c', 'umask 077 && mkdir -p .ssh && cat >> .ssh/authorized_keys']).line], keyLine, 60_000)
    expect(added.code, added.stderr).toBe(0)
    // The runtime bundle is built on this computer (the unit has no internet); the model comes from the library.
    await prepareDataDir(data.dir)
    const app = createApp({ dataDir: data.dir })
    try {
      await app.services.models.import(digitsFile, { name: 'digits', version: '1' })
    } finally {
      app.close()
    }
  }, 900_000)

  afterAll(async () => {
    // Other suites expect a fresh unit (password login, hostname raspberrypi, no EdgeDock): give it back.
    if (pi && (labWasUp || process.env.EDGEDOCK_LAB_GLOBAL === '1')) await reset(pi.name)
    await releaseLab()
  }, 900_000)

  it('provisions a fresh unit, converges, and the dry run told the truth', async () => {
    const dry = await provisionLab(true)
    expect(dry.result.units[0]?.status, dry.log.slice(-3000)).toBe('would-change')
    expect((await onPi(['hostname'])).stdout.trim()).toBe('raspberrypi')
    expect((await onPi(['cat', '/etc/ssh/sshd_config.d/10-edgedock.conf'])).code).not.toBe(0)
    expect((await onPi(['test', '-e', '/opt/edgedock'])).code).not.toBe(0)

    const real = await provisionLab(false)
    expect(real.result.units[0]?.status, real.log.slice(-4000)).toBe('changed')
    expect(real.code).toBe(0)
    expect(diffOf(real.result)).toEqual(diffOf(dry.result))
    const steps = real.result.units[0]?.steps ?? []
    for (const id of ['hostname', 'timezone', 'locale', 'ssh-password-off', 'runtime', 'model', 'reboot']) {
      expect(steps.find((s) => s.id === id)?.status, `${id}\n${real.log.slice(-3000)}`).toBe('changed')
    }
    expect(steps.find((s) => s.id === 'wifi')?.status).toBe('skipped')
    // No password reached the job log.
    expect(real.log).not.toContain(pi.password)

    // What a technician checks afterwards (the reboot happened: hostname kept across it).
    expect((await onPi(['hostname'])).stdout.trim()).toBe('door-lab-01')
    expect((await onPi(['grep', '-c', 'door-lab-01', '/etc/hosts'])).stdout.trim()).toBe('1')
    expect((await onPi(['timedatectl', 'show', '--property=Timezone', '--value'])).stdout.trim()).toBe('Europe/Berlin')
    expect((await onPi(['localectl', 'status'])).stdout).toContain('LANG=en_GB.UTF-8')
    expect((await onPi(['systemctl', 'is-active', 'edgedock-inference'])).stdout.trim()).toBe('active')
    const health = await run(inLabArgv(['curl', '-sS', '--max-time', '10', `http://${pi.ip}:8080/health`]), undefined, 20_000)
    expect(JSON.parse(health.stdout) as unknown, health.stderr).toMatchObject({ model: { name: 'digits', version: '1' } })
    expect((await onPi(['sudo', '-n', 'true'])).stderr).not.toMatch(/unable to resolve host/)
    const passwordOnly = await run([...sshArgv(pi, '', { passwordOnly: true }), 'true'], undefined, 60_000)
    expect(passwordOnly.code).not.toBe(0)

    const again = await provisionLab(false)
    expect(again.result.units[0], again.log.slice(-3000)).toMatchObject({ status: 'unchanged', changes: 0, handlers: [] })
  }, 1_500_000)
})
