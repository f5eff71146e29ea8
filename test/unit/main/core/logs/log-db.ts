// A database with the log tables (migration 7), for the log tests and the ingest benchmark.
import type Database from 'better-sqlite3'
import { openDatabase } from '../../../../../src/main/store/open-database'

export function openLogsDb(file = ':memory:'): Database.Database {
  return openDatabase(file)
}
