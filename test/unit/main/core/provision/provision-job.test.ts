// Provisioning as a job: what the Jobs panel, History and `edgedock provision` show.
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import type { Job, JobLogLine } from '../../../../../src/shared/domain'
import { JobRunner } from '../../../../../src/main/core/jobs/job-runner'
import { fleetResultSchema, loadProfile, startProvisionJob, type FleetResult } from '../../../../../src/main/core/provision'
import { migrate } from '../../../../../src/main/store/migrate'
import { migrations } from '../../../../../src/main/store/migrations'
import { createJobsRepo } from '../../../../../src/main/store/jobs-repo'
import { FakeDevice, fakeModelInstaller, fakeRuntimeInstaller } from './fake-device'
import { PROFILES_DIR, PUBLIC_KEY } from './fixture'

function setup() {
  const db = new Database(':memory:')
  migrate(db, migrations)
  const repo = createJobsRepo(db)
  const logs: JobLogLine[] = []
  const runner = new JobRunner(repo, { updated: (_j: Job) => undefined, log: (l) => logs.push(l) })
  return { repo, runner, logs }
}

const PSK = 'correct-horse-42'

describe('provision job', () => {
  it('runs the fleet as one job with per-unit lines, the result attached, and no secret in the log', async () => {
    const { runner, repo, logs } = setup()
    const devices: Record<string, FakeDevice> = { 'pi@10.77.0.11': new FakeDevice({ wifi: true }), 'pi@10.77.0.12': new FakeDevice({ wifi: true }) }
    devices['pi@10.77.0.12']!.failWhen = (argv) => (argv[0] === 'timedatectl' && argv[1] === 'set-timezone' ? { code: 1, stdout: '', stderr: 'Failed to set time zone: Connection timed out' } : undefined)
    const profile = await loadProfile('door-access-unit', PROFILES_DIR)
    const job = startProvisionJob(
      runner,
      {
        profile,
        units: [
          { target: 'pi@10.77.0.11', vars: { unit: '01' } },
          { target: 'pi@10.77.0.12', vars: { unit: '02' } }
        ],
        vars: { site: 'hq', timezone: 'Europe/Berlin', locale: 'C.UTF-8', wifi_ssid: 'Site Net', wifi_psk: PSK }
      },
      {
        connect: async (t) => devices[t] as FakeDevice,
        ports: { runtime: fakeRuntimeInstaller(), model: fakeModelInstaller() },
        publicKey: PUBLIC_KEY,
        sleep: async () => undefined
      }
    )
    expect(job.title).toBe('Provision door-access-unit on 2 units')
    const done = await runner.wait(job.id)
    expect(done.state).toBe('failed')
    expect(done.error?.code).toBe('PROVISION_STEP_FAILED')
    expect(done.error?.detail).toMatch(/^pi@10\.77\.0\.12: Time zone Europe\/Berlin: Could not set the time zone/)
    expect(done.done).toBe(2)
    const result = done.result as FleetResult
    expect(result.summary).toMatchObject({ total: 2, changed: 1, failed: 1 })
    // The result is plain JSON of the published shape (what `--json` prints and the UI renders).
    expect(fleetResultSchema.parse(JSON.parse(JSON.stringify(result)))).toEqual(result)
    const text = repo.detail(job.id)?.log.map((l) => l.text).join('\n') ?? ''
    expect(text).toContain('[pi@10.77.0.11] changed, 11 change(s)')
    expect(text).toContain('Failed to set time zone: Connection timed out')
    expect(logs.length).toBeGreaterThan(10)
    expect(text).not.toContain(PSK)
    expect(JSON.stringify(done)).not.toContain(PSK)
    // The passphrase did reach the unit, as an argument of nmcli.
    expect(devices['pi@10.77.0.11']?.connections.get('edgedock-wifi')?.psk).toBe(PSK)
  })

  it('records a single unit\'s steps as the job\'s steps', async () => {
    const { runner, repo } = setup()
    const profile = await loadProfile('bench-node', PROFILES_DIR)
    const device = new FakeDevice()
    device.failWhen = (argv) => (argv[0] === 'hostnamectl' ? { code: 1, stdout: '', stderr: 'Access denied' } : undefined)
    const job = startProvisionJob(
      runner,
      { profile, units: [{ target: 'pi@10.77.0.11', vars: { hostname: 'bench-01' } }], dryRun: false },
      { connect: async () => device, ports: { runtime: fakeRuntimeInstaller() }, publicKey: PUBLIC_KEY }
    )
    expect(job.title).toBe('Provision bench-node on pi@10.77.0.11')
    await runner.wait(job.id)
    expect(repo.detail(job.id)?.steps.map((s) => [s.name, s.state])).toEqual([
      ['EdgeDock key in authorized_keys', 'succeeded'],
      ['Hostname bench-01', 'failed']
    ])
  })

  it('rejects bad input before a job exists', async () => {
    const { runner, repo } = setup()
    const profile = await loadProfile('bench-node', PROFILES_DIR)
    const start = () => startProvisionJob(runner, { profile, units: [{ target: 'pi@10.77.0.11', vars: { hostname: 'bench;01' } }] }, { connect: async () => new FakeDevice() })
    expect(start).toThrow(expect.objectContaining({ code: 'PROFILE_VARIABLE_INVALID' }))
    expect(repo.list({ limit: 10 })).toEqual([])
  })
})
