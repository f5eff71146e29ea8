import type { Migration } from '../migrate'

// Logs streamed from units. Each stream (a unit's journal, one systemd unit, the kernel, a file) keeps
// the journal cursor of the last line it stored, written in the same transaction as the lines, so a
// line is stored exactly once however often the link drops or the process dies. Gaps and lines dropped
// on purpose are rows of their own kind, in order with the lines, so a reader sees where they are.
// The full-text index uses external content (the text is stored once). The repository indexes each
// batch with one INSERT ... SELECT in the batch's transaction (a trigger per row measured 2.5 times
// slower); a trigger removes deleted lines from it, whichever process prunes. Level filters use the
// device or unit index: eight priority values are too few for an index of their own to pay for its
// cost on every insert.
const migration: Migration = {
  version: 7,
  name: 'logs',
  up: `
CREATE TABLE log_streams (
  id INTEGER PRIMARY KEY,
  device_id TEXT NOT NULL,
  selector TEXT NOT NULL,
  cursor TEXT,
  updated_at INTEGER NOT NULL,
  UNIQUE (device_id, selector)
);
CREATE TABLE log_lines (
  id INTEGER PRIMARY KEY,
  stream_id INTEGER NOT NULL REFERENCES log_streams(id) ON DELETE CASCADE,
  device_id TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'line' CHECK (kind IN ('line', 'gap', 'dropped')),
  unit TEXT,
  priority INTEGER,
  time_us INTEGER,
  received_at INTEGER NOT NULL,
  message TEXT NOT NULL,
  job_id TEXT,
  boot_id TEXT,
  cursor TEXT
);
CREATE INDEX log_lines_device ON log_lines(device_id, id);
CREATE INDEX log_lines_unit ON log_lines(unit, id);
CREATE INDEX log_lines_time ON log_lines(time_us);
CREATE INDEX log_lines_received ON log_lines(received_at);
CREATE INDEX log_lines_job ON log_lines(job_id) WHERE job_id IS NOT NULL;
CREATE VIRTUAL TABLE log_lines_fts USING fts5(message, content = 'log_lines', content_rowid = 'id');
CREATE TRIGGER log_lines_fts_delete AFTER DELETE ON log_lines BEGIN
  INSERT INTO log_lines_fts(log_lines_fts, rowid, message) VALUES ('delete', old.id, old.message);
END;
`
}
export default migration
