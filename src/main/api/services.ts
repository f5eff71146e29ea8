// What the handlers are given: the services core/ builds and the repositories store/ exposes.
// Written from their own exported types so that api/ never depends on the composition root
// (app/ builds a value of this shape; api/ only describes what it needs).
import type { BenchService } from '../core/bench/bench-service'
import type { DeployService } from '../core/deploy/deploy-service'
import type { ProvisionService } from '../core/deploy/provision-service'
import type { DeviceService } from '../core/devices/device-service'
import type { DiscoveryService } from '../core/devices/discovery-service'
import type { EventHub } from '../core/event-hub'
import type { JobRunner } from '../core/jobs/job-runner'
import type { FlashService } from '../core/flash/flash-service'
import type { ModelLibrary } from '../core/models/model-library'
import type { SshService } from '../core/ssh'
import type { DevicesRepo } from '../store/devices-repo'
import type { BenchRepo } from '../store/bench-repo'
import type { HistoryRepo } from '../store/history-repo'
import type { HostKeysRepo } from '../store/host-keys-repo'
import type { LogsRepo } from '../store/logs-repo'
import type { LogFollow } from './log-follow'
import type { createJobsRepo } from '../store/jobs-repo'
import type { SettingsRepo } from '../store/settings-repo'

export interface Services {
  dataDir: string
  resourcesDir: string
  version: string
  models: ModelLibrary
  ssh: SshService
  provision: ProvisionService
  deploy: DeployService
  bench: BenchService
  flash: FlashService
  discovery: DiscoveryService
  devices: DeviceService
  events: EventHub
  jobs: JobRunner
  logFollow: LogFollow
  store: {
    devices: DevicesRepo
    hostKeys: HostKeysRepo
    jobs: ReturnType<typeof createJobsRepo>
    settings: SettingsRepo
    history: HistoryRepo
    bench: BenchRepo
    logs: LogsRepo
  }
}
