// The technician's path on one unit: a dry run shows the diff, the real run makes exactly those
// changes, and the run right after changes nothing.
import { describe, expect, it } from 'vitest'
import { FakeDevice, fakeRuntimeInstaller } from './fake-device'
import { diffOf, PROFILES_DIR, PUBLIC_KEY, runProfile } from './fixture'

const T = 'pi@10.77.0.11'
const VARS = { site: 'hq', unit: '01', timezone: 'Europe/Berlin', locale: 'C.UTF-8' }

describe('door-access-unit on a fresh unit', () => {
  it('dry run lists the changes and issues no mutating command', async () => {
    const device = new FakeDevice()
    const before = device.snapshot()
    const { result } = await runProfile('door-access-unit', { [T]: device }, { vars: VARS, dryRun: true })
    expect(device.snapshot()).toBe(before)
    expect(device.mutatingCommands()).toEqual([])
    expect(device.commands.length).toBeGreaterThan(5)
    const unit = result.units[0]
    expect(unit?.status).toBe('would-change')
    expect(diffOf(result, T)).toEqual([
      { step: 'authorized-key', changes: [{ field: '~/.ssh/authorized_keys', from: null, to: expect.stringMatching(/^ssh-ed25519 …\S+ edgedock@station$/) }] },
      {
        step: 'hostname',
        changes: [
          { field: 'hostname', from: 'raspberrypi', to: 'door-hq-01' },
          { field: '/etc/hosts 127.0.1.1', from: '127.0.1.1 raspberrypi', to: '127.0.1.1 door-hq-01' }
        ]
      },
      { step: 'timezone', changes: [{ field: 'time zone', from: 'Etc/UTC', to: 'Europe/Berlin' }] },
      { step: 'locale', changes: [{ field: 'LANG', from: null, to: 'C.UTF-8' }] },
      {
        step: 'ssh-password-off',
        changes: [
          { field: '/etc/ssh/sshd_config.d/10-edgedock.conf', from: null, to: 'PasswordAuthentication no' },
          { field: 'SSH password login', from: 'yes', to: 'no' }
        ]
      },
      { step: 'runtime', changes: [{ field: 'EdgeDock runtime', from: null, to: '0.3.0' }] },
      { step: 'reboot', changes: [{ field: 'reboot', from: 'running', to: 'rebooted' }] }
    ])
    expect(unit?.steps.find((s) => s.id === 'wifi')).toMatchObject({ status: 'skipped', note: 'no Wi-Fi network given for this unit' })
    expect(unit?.steps.find((s) => s.id === 'health')).toMatchObject({ status: 'skipped', note: 'checked after a real run' })
    expect(unit?.handlers.sort()).toEqual(['reload-ssh', 'restart-inference'])
    expect(result.summary).toMatchObject({ total: 1, wouldChange: 1, changes: 9 })
  })

  it('real run makes exactly the dry-run changes; the next run changes nothing', async () => {
    const device = new FakeDevice()
    const dry = await runProfile('door-access-unit', { [T]: device }, { vars: VARS, dryRun: true })
    const real = await runProfile('door-access-unit', { [T]: device }, { vars: VARS })
    expect(real.result.units[0]?.status).toBe('changed')
    expect(diffOf(real.result, T)).toEqual(diffOf(dry.result, T))

    // What the technician checks on the unit afterwards.
    expect(device.hostname).toBe('door-hq-01')
    expect(device.files.get('/etc/hosts')).toContain('127.0.1.1\tdoor-hq-01\n')
    expect(device.files.get('/etc/hosts')).not.toContain('raspberrypi')
    expect(device.timezone).toBe('Europe/Berlin')
    expect(device.files.get('/etc/default/locale')).toBe('LANG=C.UTF-8\n')
    expect(device.files.get('/home/pi/.ssh/authorized_keys')).toBe(`${PUBLIC_KEY}\n`)
    expect(device.sshdLive).toBe('no')
    expect(device.reboots).toBe(1)
    expect(device.services.get('edgedock-inference')).toBe('active')
    // Handlers ran once each, before the reboot.
    expect(device.sshdReloads).toBe(1)
    expect(device.restarts).toEqual(['edgedock-inference'])
    expect(real.result.units[0]?.handlers.sort()).toEqual(['reload-ssh', 'restart-inference'])
    // No temporary files left behind.
    expect([...device.files.keys()].filter((f) => f.endsWith('.edgedock-new'))).toEqual([])

    const countBefore = device.commands.length
    const again = await runProfile('door-access-unit', { [T]: device }, { vars: VARS })
    const second = device.commands.slice(countBefore)
    expect(again.result.units[0]).toMatchObject({ status: 'unchanged', changes: 0, handlers: [] })
    expect(again.result.summary.changes).toBe(0)
    expect(second.filter((c) => c.mutating)).toEqual([])
    expect(device.reboots).toBe(1)
  })

  it('keeps the rest of authorized_keys and /etc/hosts as they were', async () => {
    const device = new FakeDevice()
    device.dirs.add('/home/pi/.ssh')
    device.files.set('/home/pi/.ssh/authorized_keys', 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB alice@laptop')
    device.files.set('/etc/hosts', '127.0.0.1\tlocalhost\n10.1.2.3\tnas\n')
    await runProfile('door-access-unit', { [T]: device }, { vars: VARS })
    expect(device.files.get('/home/pi/.ssh/authorized_keys')).toBe(`ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB alice@laptop\n${PUBLIC_KEY}\n`)
    expect(device.files.get('/etc/hosts')).toBe('127.0.0.1\tlocalhost\n127.0.1.1\tdoor-hq-01\n10.1.2.3\tnas\n')
  })

  it('installs every EdgeDock key (desktop and CLI) and only the missing ones', async () => {
    const { provision, loadProfile } = await import('../../../../../src/main/core/provision')
    const cliKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEdnZWRvY2stY2xpLWtleS1mb3ItdGVzdHMtb25seQ edgedock@cli'
    const device = new FakeDevice()
    device.dirs.add('/home/pi/.ssh')
    device.files.set('/home/pi/.ssh/authorized_keys', `${PUBLIC_KEY.replace('edgedock@station', 'old-comment')}\n`)
    const result = await provision(
      { profile: await loadProfile('bench-node', PROFILES_DIR), units: [{ target: T, vars: { hostname: 'bench-01' } }] },
      { connect: async () => device, publicKey: [PUBLIC_KEY, cliKey], ports: { runtime: fakeRuntimeInstaller() } }
    )
    expect(diffOf(result, T)[0]).toEqual({ step: 'authorized-key', changes: [{ field: '~/.ssh/authorized_keys', from: null, to: 'ssh-ed25519 …VzdHMtb25seQ edgedock@cli' }] })
    expect(device.files.get('/home/pi/.ssh/authorized_keys')).toBe(`${PUBLIC_KEY.replace('edgedock@station', 'old-comment')}\n${cliKey}\n`)
  })

  it('sets up Wi-Fi when the unit has a Wi-Fi device, never showing the passphrase', async () => {
    const device = new FakeDevice({ wifi: true })
    const vars = { ...VARS, wifi_ssid: 'Site Net', wifi_psk: 'correct-horse-42' }
    const dry = await runProfile('door-access-unit', { [T]: device }, { vars, dryRun: true })
    const real = await runProfile('door-access-unit', { [T]: device }, { vars })
    expect(diffOf(real.result, T).find((d) => d.step === 'wifi')).toEqual({
      step: 'wifi',
      changes: [
        { field: 'Wi-Fi network', from: null, to: 'Site Net' },
        { field: 'Wi-Fi passphrase', from: null, to: '***' }
      ]
    })
    expect(diffOf(dry.result, T)).toEqual(diffOf(real.result, T))
    expect(device.connections.get('edgedock-wifi')).toEqual({ ssid: 'Site Net', psk: 'correct-horse-42' })
    const add = device.commands.find((c) => c.argv[0] === 'nmcli' && c.argv[2] === 'add')
    expect(add?.argv).toEqual(['nmcli', 'connection', 'add', 'type', 'wifi', 'con-name', 'edgedock-wifi', 'ifname', '*', 'ssid', 'Site Net', 'wifi-sec.key-mgmt', 'wpa-psk', 'wifi-sec.psk', 'correct-horse-42', 'connection.autoconnect', 'yes'])
    expect(JSON.stringify(real)).not.toContain('correct-horse-42')
    expect(JSON.stringify(dry)).not.toContain('correct-horse-42')

    const again = await runProfile('door-access-unit', { [T]: device }, { vars })
    expect(again.result.units[0]?.changes).toBe(0)
    const changed = await runProfile('door-access-unit', { [T]: device }, { vars: { ...vars, wifi_psk: 'battery-staple-7' } })
    expect(diffOf(changed.result, T)).toEqual([
      // A new passphrase applies when NetworkManager next connects: no reboot for it (only a new hostname reboots).
      { step: 'wifi', changes: [{ field: 'Wi-Fi passphrase', from: '***', to: '*** (new)' }] }
    ])
  })

  it('skips Wi-Fi with a clear note on a unit without a Wi-Fi device or NetworkManager', async () => {
    const noWifi = await runProfile('door-access-unit', { [T]: new FakeDevice() }, { vars: { ...VARS, wifi_ssid: 'Site Net', wifi_psk: 'correct-horse-42' } })
    expect(noWifi.result.units[0]?.steps.find((s) => s.id === 'wifi')).toMatchObject({ status: 'skipped', note: 'this unit has no Wi-Fi device' })
    const noNm = await runProfile('door-access-unit', { [T]: new FakeDevice({ networkManager: false }) }, { vars: { ...VARS, wifi_ssid: 'Site Net', wifi_psk: 'correct-horse-42' } })
    expect(noNm.result.units[0]?.steps.find((s) => s.id === 'wifi')?.note).toMatch(/NetworkManager \(nmcli\) is not installed/)
  })

  it('generates a locale that is not there yet, and says plainly when it cannot', async () => {
    const withLocales = new FakeDevice({ localeSources: true })
    const r = await runProfile('door-access-unit', { [T]: withLocales }, { vars: { ...VARS, locale: 'en_GB.UTF-8' } })
    expect(diffOf(r.result, T).find((d) => d.step === 'locale')?.changes).toEqual([
      { field: 'locale generated', from: null, to: 'en_GB.UTF-8' },
      { field: 'LANG', from: null, to: 'en_GB.UTF-8' }
    ])
    expect(withLocales.files.get('/etc/default/locale')).toBe('LANG=en_GB.UTF-8\n')

    // Without the `locales` package (the lab image, a minimal Debian) the dry run already says so.
    const bare = new FakeDevice()
    const dry = await runProfile('door-access-unit', { [T]: bare }, { vars: { ...VARS, locale: 'en_GB.UTF-8' }, dryRun: true })
    expect(dry.result.units[0]?.steps.find((s) => s.id === 'locale')).toMatchObject({ status: 'failed', note: expect.stringMatching(/no locale sources \(install the "locales" package/) })
    const failed = await runProfile('door-access-unit', { [T]: bare }, { vars: { ...VARS, locale: 'en_GB.UTF-8' } })
    expect(failed.result.units[0]?.error?.detail).toMatch(/^Locale en_GB\.UTF-8: The unit cannot make the locale "en_GB\.UTF-8": it has no locale sources \(install the "locales" package/)
    expect(bare.commands.some((c) => c.argv[0] === 'localedef' || c.argv[0] === 'localectl')).toBe(false)
  })
})

describe('a failing step', () => {
  it('stops the unit, says what failed in plain words, and keeps the output in the log', async () => {
    const device = new FakeDevice()
    device.failWhen = (argv) =>
      argv[0] === 'timedatectl' && argv[1] === 'set-timezone' ? { code: 1, stdout: '', stderr: 'Failed to set time zone: Connection timed out' } : undefined
    const { result, log } = await runProfile('door-access-unit', { [T]: device }, { vars: VARS })
    const unit = result.units[0]
    expect(unit?.status).toBe('failed')
    expect(unit?.error?.code).toBe('PROVISION_STEP_FAILED')
    expect(unit?.error?.message).toMatch(
      /^Provisioning stopped at a step: Time zone Europe\/Berlin: Could not set the time zone to Europe\/Berlin \(the unit said: Failed to set time zone: Connection timed out\)/
    )
    expect(unit?.steps.at(-1)).toMatchObject({ id: 'timezone', status: 'failed' })
    // Nothing after the failing step ran.
    expect(unit?.steps.map((s) => s.id)).toEqual(['authorized-key', 'hostname', 'timezone'])
    expect(device.commands.some((c) => c.argv[0] === 'sshd')).toBe(false)
    const entry = log.find((l) => l.startsWith('error: [pi@10.77.0.11] Could not set the time zone'))
    expect(entry).toContain('(exit code 1): timedatectl set-timezone Europe/Berlin')
    expect(entry).toContain('stderr:\nFailed to set time zone: Connection timed out')
  })

  it('finds a time zone the unit does not have already in the dry run, before any change', async () => {
    const device = new FakeDevice()
    const before = device.snapshot()
    const { result } = await runProfile('door-access-unit', { [T]: device }, { vars: { ...VARS, timezone: 'Europe/Atlantis' }, dryRun: true })
    expect(result.units[0]?.status).toBe('failed')
    expect(result.units[0]?.error?.detail).toBe(
      'Time zone Europe/Atlantis: The unit has no time zone "Europe/Atlantis": check the name, or install the tzdata package on the unit'
    )
    expect(device.snapshot()).toBe(before)
    expect(device.mutatingCommands()).toEqual([])
  })

  it('takes back an sshd drop-in that sshd -t rejects and does not reload sshd', async () => {
    const device = new FakeDevice()
    device.failWhen = (argv) => (argv.join(' ') === 'sshd -t' ? { code: 255, stdout: '', stderr: '/etc/ssh/sshd_config line 9: Bad configuration option: Foo' } : undefined)
    const { result, log } = await runProfile('door-access-unit', { [T]: device }, { vars: VARS })
    expect(result.units[0]?.error?.detail).toMatch(/^Password login off: The SSH server rejected its configuration \(sshd -t\); the previous configuration was restored/)
    expect(device.files.has('/etc/ssh/sshd_config.d/10-edgedock.conf')).toBe(false)
    expect(device.sshdReloads).toBe(0)
    expect(log.join('\n')).toContain('Bad configuration option: Foo')
  })

  it('still runs the handlers owed by changes made before the failure', async () => {
    const device = new FakeDevice()
    device.failWhen = (argv) => (argv[0] === 'install' && argv.at(-1) === '/opt/edgedock/models/current-name' ? { code: 1, stdout: '', stderr: 'No space left on device' } : undefined)
    const { result } = await runProfile('door-access-unit', { [T]: device }, { vars: { ...VARS, model: 'faces@int8-3' } })
    expect(result.units[0]?.steps.at(-1)).toMatchObject({ id: 'model', status: 'failed' })
    expect(result.units[0]?.error?.detail).toMatch(/No space left on device/)
    expect(device.sshdReloads).toBe(1)
    expect(device.sshdLive).toBe('no')
  })
})

describe('reboot', () => {
  it('waits for the unit with backoff and checks the hostname survived', async () => {
    const device = new FakeDevice({ downForAttempts: 3 })
    const { result } = await runProfile('door-access-unit', { [T]: device }, { vars: VARS })
    expect(result.units[0]?.status).toBe('changed')
    expect(device.reconnects).toBe(4)
    expect(device.bootId).toBe('boot-2')
  })

  it('fails the reboot step when the hostname did not survive it', async () => {
    const device = new FakeDevice({ bootHostname: 'raspberrypi' })
    const { result } = await runProfile('door-access-unit', { [T]: device }, { vars: VARS })
    expect(result.units[0]?.steps.at(-1)).toMatchObject({ id: 'reboot', status: 'failed' })
    expect(result.units[0]?.error?.detail).toBe('Reboot and wait for the unit: The hostname did not survive the reboot: it is "raspberrypi", not "door-hq-01"')
  })

  it('gives up after its time limit with REBOOT_TIMEOUT', async () => {
    const device = new FakeDevice({ downForAttempts: Number.POSITIVE_INFINITY })
    const { result } = await runProfile('door-access-unit', { [T]: device }, { vars: VARS })
    expect(result.units[0]?.status).toBe('failed')
    expect(result.units[0]?.error?.code).toBe('REBOOT_TIMEOUT')
    expect(result.units[0]?.steps.at(-1)).toMatchObject({ id: 'reboot', status: 'failed' })
  })
})
