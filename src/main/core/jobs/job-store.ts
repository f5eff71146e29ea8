// The port through which the job runner persists jobs; SQLite implements it in store/jobs-repo.
import type { Job, JobLogLine, JobState, JobStep } from '../../../shared/domain'
import type { SerializedError } from '../../../shared/errors'

export interface JobStore {
  create(job: Job): void
  save(job: Job): void
  get(id: string): Job | undefined
  addStep(jobId: string, step: JobStep): void
  finishStep(jobId: string, index: number, state: JobState, at: number): void
  appendLog(line: JobLogLine): void
  /** Marks every queued or running job as interrupted; returns how many. */
  markInterrupted(now: number, error: SerializedError): number
}
