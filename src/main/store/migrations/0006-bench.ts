import type { Migration } from '../migrate'

// Benchmark runs and their cells (one unit × model × threads × batch × repeat each). A cell keeps
// the figures scripts filter on as columns, the agent's whole result line as JSON, and its raw
// per-run latencies apart as float64 little-endian bytes, so listing runs never reads them.
const migration: Migration = {
  version: 6,
  name: 'bench',
  up: `
CREATE TABLE bench_runs (
  id TEXT PRIMARY KEY,
  job_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  who TEXT NOT NULL,
  label TEXT,
  preset TEXT NOT NULL,
  request TEXT NOT NULL
);
CREATE INDEX bench_runs_created ON bench_runs(created_at);
CREATE TABLE bench_cells (
  id TEXT PRIMARY KEY,
  run_id TEXT NOT NULL REFERENCES bench_runs(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  target TEXT NOT NULL,
  device_id TEXT,
  model_ref TEXT NOT NULL,
  model_name TEXT NOT NULL,
  model_version TEXT NOT NULL,
  model_sha256 TEXT NOT NULL,
  threads INTEGER NOT NULL,
  batch INTEGER NOT NULL,
  repeat INTEGER NOT NULL,
  state TEXT NOT NULL,
  error TEXT,
  progress TEXT,
  stats TEXT,
  accuracy TEXT,
  valid INTEGER NOT NULL DEFAULT 0,
  invalid_reasons TEXT NOT NULL DEFAULT '[]',
  result TEXT,
  started_at INTEGER,
  finished_at INTEGER,
  UNIQUE (run_id, idx)
);
CREATE INDEX bench_cells_device ON bench_cells(device_id);
CREATE TABLE bench_samples (
  cell_id TEXT PRIMARY KEY REFERENCES bench_cells(id) ON DELETE CASCADE,
  count INTEGER NOT NULL,
  samples BLOB NOT NULL
);
`
}
export default migration
