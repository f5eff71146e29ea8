import type { Migration } from '../migrate'

// Devices, pinned host keys, jobs with steps and log lines, settings, and the history journal.
const migration: Migration = {
  version: 1,
  name: 'initial',
  up: `
CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  host TEXT NOT NULL,
  port INTEGER NOT NULL DEFAULT 22,
  user TEXT NOT NULL DEFAULT 'pi',
  mac TEXT,
  model TEXT,
  serial TEXT,
  host_key_fingerprint TEXT,
  ssh_banner TEXT,
  state TEXT NOT NULL DEFAULT 'unknown' CHECK (state IN ('online','offline','unknown')),
  last_seen INTEGER,
  sources TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL,
  UNIQUE (host, port)
);
CREATE UNIQUE INDEX devices_mac ON devices(mac) WHERE mac IS NOT NULL;

CREATE TABLE host_keys (
  host TEXT NOT NULL,
  port INTEGER NOT NULL,
  algorithm TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  pinned_at INTEGER NOT NULL,
  PRIMARY KEY (host, port)
);

CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  device_id TEXT REFERENCES devices(id) ON DELETE SET NULL,
  state TEXT NOT NULL CHECK (state IN ('queued','running','succeeded','failed','cancelled','interrupted')),
  step TEXT,
  percent REAL,
  done REAL NOT NULL DEFAULT 0,
  total REAL,
  unit TEXT NOT NULL DEFAULT 'items',
  rate REAL,
  eta_seconds REAL,
  error TEXT,
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER
);
CREATE INDEX jobs_created ON jobs(created_at DESC);

CREATE TABLE job_steps (
  job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  name TEXT NOT NULL,
  state TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  PRIMARY KEY (job_id, idx)
);

CREATE TABLE job_log (
  job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  level TEXT NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (job_id, seq)
);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ts INTEGER NOT NULL,
  kind TEXT NOT NULL,
  device_id TEXT,
  device_name TEXT,
  job_id TEXT,
  summary TEXT NOT NULL,
  outcome TEXT NOT NULL
);
CREATE INDEX history_device ON history(device_id, id DESC);
`
}
export default migration
