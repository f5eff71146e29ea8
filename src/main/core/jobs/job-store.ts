// The port through which the job runner persists jobs; SQLite implements it in store/jobs-repo.
import type { Job, JobLogLine, JobState, JobStep } from '../../../shared/domain'
import type { SerializedError } from '../../../shared/errors'
import type { OwnerRecord } from './job-owner'

/** A queued or running job as recovery and cancellation see it. */
export interface LiveJob {
  id: string
  owner: OwnerRecord | null
  heartbeatAt: number | null
}

export interface JobStore {
  create(job: Job, owner: OwnerRecord): void
  save(job: Job): void
  get(id: string): Job | undefined
  addStep(jobId: string, step: JobStep): void
  finishStep(jobId: string, index: number, state: JobState, at: number): void
  appendLog(line: JobLogLine): void
  /** Every queued or running job, whoever runs it. */
  live(): LiveJob[]
  /** Marks these jobs (if still queued or running) and their running steps as interrupted; returns how many. */
  markInterrupted(ids: string[], now: number, error: SerializedError): number
  /** Refreshes the heartbeat of the running jobs this process owns. */
  heartbeat(instance: string, now: number): void
  /** Leaves a cancel request for the job's owner; false if the job is no longer queued or running. */
  requestCancel(id: string, now: number): boolean
  /** Jobs of this process that another process asked to cancel. */
  cancelRequests(instance: string): string[]
}
