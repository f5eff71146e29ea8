import type { Migration } from '../migrate'

// Who runs a job (host, pid, that process's start time and a random instance id, and which front end:
// station, desktop or cli) and its heartbeat, so that a second process can tell a live job from one
// whose process died; a cancel request another process leaves for the owner; and the job's title and
// current step as a text code with parameters, so each UI words them in its own language.
const migration: Migration = {
  version: 5,
  name: 'job-owners',
  up: `
ALTER TABLE jobs ADD COLUMN owner_host TEXT;
ALTER TABLE jobs ADD COLUMN owner_pid INTEGER;
ALTER TABLE jobs ADD COLUMN owner_started_at INTEGER;
ALTER TABLE jobs ADD COLUMN owner_instance TEXT;
ALTER TABLE jobs ADD COLUMN owner_label TEXT;
ALTER TABLE jobs ADD COLUMN heartbeat_at INTEGER;
ALTER TABLE jobs ADD COLUMN cancel_requested_at INTEGER;
ALTER TABLE jobs ADD COLUMN title_text TEXT;
ALTER TABLE jobs ADD COLUMN step_text TEXT;
ALTER TABLE job_steps ADD COLUMN text TEXT;
CREATE INDEX jobs_live ON jobs(state) WHERE state IN ('queued', 'running');
`
}
export default migration
