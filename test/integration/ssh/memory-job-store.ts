// A JobStore in memory, so a test can read exactly what a job would have written to its log.
import type { Job, JobLogLine } from '../../../src/shared/domain'
import type { JobStore } from '../../../src/main/core/jobs/job-store'

export function memoryJobStore(): JobStore & { lines: JobLogLine[]; jobs: Map<string, Job> } {
  const jobs = new Map<string, Job>()
  const lines: JobLogLine[] = []
  return {
    jobs,
    lines,
    create: (job) => void jobs.set(job.id, { ...job }),
    save: (job) => void jobs.set(job.id, { ...job }),
    get: (id) => jobs.get(id),
    addStep: () => {},
    finishStep: () => {},
    appendLog: (line) => void lines.push(line),
    live: () => [],
    markInterrupted: () => 0,
    heartbeat: () => {},
    requestCancel: () => false,
    cancelRequests: () => []
  }
}
