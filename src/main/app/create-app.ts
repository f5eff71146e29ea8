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
import { currentOwner, ownerAlive, type FrontEnd } from '../core/jobs/job-owner'
import { probeSsh } from '../core/net/probe-ssh'
import { createDevicesRepo } from '../store/devices-repo'
import { createHistoryRepo } from '../store/history-repo'
import { createBenchRepo } from '../store/bench-repo'
import { createBenchService } from '../core/bench/bench-service'
import { createHostKeysRepo } from '../store/host-keys-repo'
import { createJobsRepo } from '../store/jobs-repo'
import { createLogsRepo } from '../store/logs-repo'
import { createLogFollow } from '../api/log-follow'
import { logExec } from '../api/log-ssh-exec'
import { openDatabase } from '../store/open-database'
import { createSettingsRepo } from '../store/settings-repo'
import { createModelsRepo } from '../store/models-repo'
import { ModelLibrary } from '../core/models/model-library'
import { createDiscoveryService } from '../core/devices/discovery-service'
import { localCommandRunner, readSysfsUsbDevices, scanUsb, serialportList, watchUsb, udevMonitorTrigger } from '../core/discovery'
import os from 'node:os'
import { createSshService, type SecretBox } from '../core/ssh'
import { createProvisionService } from '../core/deploy/provision-service'
import { createDeployService } from '../core/deploy/deploy-service'
import { lazyOrtEngine } from './lazy-ort-engine'
import { ensureDataDir } from './data-dir'
import { projectRoot } from './project-root'
import { watchExternalChanges } from './watch-external-changes'
import { flashHelperLaunch } from './flash-helper-launch'
import { createFlashService } from '../core/flash/flash-service'
import { LSBLK_COMMAND, parseLsblkDrives } from '../core/discovery/block-drives'

export interface AppConfig {
  dataDir: string
  /** better-sqlite3 built for Electron's ABI, when running inside Electron. */
  nativeBinding?: string
  version?: string
  /** Where the shipped resources are (demo model, sample set, device agent). */
  resourcesDir?: string
  /** Where EdgeDock's SSH private key is sealed: Electron safeStorage on the desktop, a 0600 key file otherwise. */
  secretBox?: SecretBox
  /** Which front end this process is, recorded as the owner of the jobs it runs (the CLI when not said). */
  frontEnd?: FrontEnd
  /** Follow USB hotplug (desktop and station; the CLI scans once when asked). */
  watchUsb?: boolean
  /** Poll the database for writes by other processes (CLI, a second station) and re-emit. */
  watchExternal?: boolean
  onInternalError?: (err: unknown, where: string) => void
}

export function createApp(config: AppConfig) {
  const dataDir = ensureDataDir(config.dataDir)
  const db = openDatabase(path.join(dataDir, 'edgedock.db'), { nativeBinding: config.nativeBinding })
  const owner = currentOwner(config.frontEnd ?? 'cli')
  const store = {
    devices: createDevicesRepo(db),
    hostKeys: createHostKeysRepo(db),
    jobs: createJobsRepo(db, (o, heartbeatAt) => ownerAlive(o, heartbeatAt, Date.now(), owner)),
    settings: createSettingsRepo(db),
    history: createHistoryRepo(db),
    bench: createBenchRepo(db),
    logs: createLogsRepo(db)
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
  }, { owner })
  jobs.recoverInterrupted()
  const devices = createDeviceService({ devices: store.devices, history: store.history, jobs, events, probe: probeSsh })
  const ssh = createSshService({ dataDir, hostKeys: store.hostKeys, history: store.history, secretBox: config.secretBox })
  const runner = localCommandRunner()
  const usbScan = () => scanUsb({ listSerialPorts: serialportList, readUsbDevices: () => readSysfsUsbDevices(), runner })
  const discovery = createDiscoveryService({
    devices: store.devices,
    history: store.history,
    jobs,
    events,
    settings: () => store.settings.get(),
    lan: { runner, interfaces: () => os.networkInterfaces() },
    scanUsb: usbScan,
    uniqueName: devices.uniqueName,
    ssh
  })
  const usbWatcher = config.watchUsb
    ? watchUsb({ scan: usbScan, onChange: (_diff, snapshot) => events.emit('usb.changed', snapshot), trigger: udevMonitorTrigger() })
    : null
  const models = new ModelLibrary({ dataDir, catalog: createModelsRepo(db), engine: lazyOrtEngine() })
  // Temp files of an import cut short by a crash or a pulled plug; nothing else depends on this.
  void models.recover().catch((err: unknown) => (config.onInternalError ?? console.error)(err, 'models.recover'))
  const resourcesDir = config.resourcesDir ?? path.join(projectRoot(), 'resources')

  const deploy = createDeployService({ jobs, ssh, devices, models: models.store, history: store.history, resourcesDir, dataDir, projectRoot: path.dirname(resourcesDir) })
  const provision = createProvisionService({ jobs, ssh, devices, events, resourcesDir, dataDir, projectRoot: path.dirname(resourcesDir), modelInstaller: deploy.modelInstaller() })

  const root = path.dirname(resourcesDir)
  const bench = createBenchService({
    jobs,
    devices,
    models: models.store,
    ssh,
    repo: store.bench,
    history: store.history,
    events,
    host: { agentFile: path.join(root, 'out', 'agent', 'edgedock-agent.cjs'), ortDir: path.join(root, 'node_modules', 'onnxruntime-node') }
  })

  const flash = createFlashService({
    jobs,
    events,
    history: store.history,
    hostKeys: store.hostKeys,
    edgedockPublicKey: () => ssh.identity().publicKey,
    helper: flashHelperLaunch,
    listDrives: async () => {
      const r = await runner.run(LSBLK_COMMAND).catch(() => null)
      return r && r.exitCode === 0 ? parseLsblkDrives(r.stdout) : []
    }
  })
  // Journals streamed from units over EdgeDock's own key, into the store.
  const logFollow = createLogFollow({
    sink: store.logs,
    execFor: (deviceId) => logExec(() => {
      const d = devices.get(deviceId)
      // A live view should show "reconnecting" within seconds of a pulled cable, not after the
      // default keepalive's 20 s: a dead link is noticed after about 2 s x 3 here.
      return ssh.open({ host: d.host, port: d.port, username: d.user }, null, { keepaliveIntervalMs: 2000, keepaliveCountMax: 2 })
    }),
    emit: (status) => events.emit('logs.stream', status)
  })
  const services = { logFollow, flash, bench, provision, deploy, ssh, dataDir, resourcesDir, version: config.version ?? '0.1.0', db, store, events, jobs, devices, models, discovery }
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
      void logFollow.close()
      stopWatching()
      usbWatcher?.stop()
      jobs.close()
      db.close()
    }
  }
}
export type EdgeDockApp = ReturnType<typeof createApp>
