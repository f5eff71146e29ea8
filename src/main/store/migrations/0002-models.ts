import type { Migration } from '../migrate'

// The desktop model library: one row per distinct ONNX file (by sha256), which lives in
// <dataDir>/models/<sha256>.onnx. A name and version pair points at exactly one file.
// summary_json holds the parsed ModelSummary; precision is copied out so lists can filter on it.
const migration: Migration = {
  version: 2,
  name: 'models',
  up: `
CREATE TABLE models (
  sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
  name TEXT NOT NULL CHECK (name <> ''),
  version TEXT NOT NULL CHECK (version <> ''),
  notes TEXT NOT NULL DEFAULT '',
  source_file_name TEXT NOT NULL,
  size_bytes INTEGER NOT NULL CHECK (size_bytes > 0),
  precision TEXT NOT NULL,
  summary_json TEXT NOT NULL,
  imported_at INTEGER NOT NULL,
  UNIQUE (name, version)
);
CREATE INDEX models_imported ON models(imported_at DESC);
`
}

export default migration
