// Composition root: builds every service from a config. Electron, the station and the CLI all
// start here, so they share one behaviour and one database.
import path from 'node:path'
import type { Device } from '../../shared/domain'
import { createHandlers } from '../api'
import { createDispatch, type Dispatch } from '../api/dispatch'
import type { Handlers } from '../api/handlers'
import { createDeviceService } from '../core/devices/device-service'
import { EventHub } from '../core/event-hub'
import { JobRunner } from '../core/jobs/job-runner'
import { probeSsh } from '../core/net/probe-ssh'
import { createDevicesRepo } from '../store/devices-repo'
import { createHistoryRepo } from '../store/history-repo'
import { createHostKeysRepo } from '../store/host-keys-repo'
import { createJobsRepo } from '../store/jobs-repo'
import { openDatabase } from '../store/open-database'
import { createSettingsRepo } from '../store/settings-repo'
import { ensureDataDir } from './data-dir'
import { watchExternalChanges } from './watch-external-changes'

export interface AppConfig {
  dataDir: string
  /** better-sqlite3 built for Electron's ABI, when running inside Electron. */
  nativeBinding?: string
  version?: string
  /** Poll the database for writes by other processes (CLI, a second station) and re-emit. */
  watchExternal?: boolean
  onInternalError?: (err: unknown, where: string) => void
}

export function createApp(config: AppConfig) {
  const dataDir = ensureDataDir(config.dataDir)
  const db = openDatabase(path.join(dataDir, 'edgedock.db'), { nativeBinding: config.nativeBinding })
  const store = {
    devices: createDevicesRepo(db),
    hostKeys: createHostKeysRepo(db),
    jobs: createJobsRepo(db),
    settings: createSettingsRepo(db),
    history: createHistoryRepo(db)
  }
  const events = new EventHub()
  const jobs = new JobRunner(store.jobs, {
    updated: (job) => events.emit('jobs.updated', job),
    log: (line) => events.emit('jobs.log', line),
    finished: (job) =>
      store.history.add({
        kind: job.kind,
        deviceId: job.deviceId,
        deviceName: job.deviceId ? (store.devices.get(job.deviceId)?.name ?? null) : null,
        jobId: job.id,
        summary: job.error ? `${job.title}: ${job.error.message}` : job.title,
        outcome: job.state === 'succeeded' ? 'ok' : job.state === 'cancelled' ? 'cancelled' : 'failed'
      })
  })
  jobs.recoverInterrupted()
  const devices = createDeviceService({ devices: store.devices, history: store.history, jobs, events, probe: probeSsh })

  const services = { dataDir, version: config.version ?? '0.1.0', db, store, events, jobs, devices }
  const handlers: Handlers = createHandlers(services)
  const dispatch: Dispatch = createDispatch(handlers, config.onInternalError ?? ((err, where) => console.error(`[${where}]`, err)))
  const stopWatching = config.watchExternal
    ? watchExternalChanges(db, () => events.emit('devices.changed', { devices: store.devices.list() as Device[] }))
    : () => {}

  return {
    services,
    handlers,
    dispatch,
    events,
    close() {
      stopWatching()
      db.close()
    }
  }
}
export type EdgeDockApp = ReturnType<typeof createApp>
export type Services = {
  dataDir: string
  version: string
  store: EdgeDockApp['services']['store']
  events: EventHub
  jobs: JobRunner
  devices: EdgeDockApp['services']['devices']
}
