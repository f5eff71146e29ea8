import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { MAX_LINE_CHARS, capMessage, parseJournalLine, sameEntry } from '../../../../../src/main/core/logs/journal-json'

const fixture = readFileSync(path.join(import.meta.dirname, 'fixtures', 'journal-sample.jsonl'), 'utf8').split('\n').filter(Boolean)

describe('parseJournalLine', () => {
  const parsed = fixture.map((l) => parseJournalLine(l))
  const entry = (i: number) => {
    const p = parsed[i]
    if (!p?.ok) throw new Error(`line ${i} did not parse`)
    return p.entry
  }

  it('reads a service entry: unit, priority, realtime µs, cursor, boot', () => {
    expect(entry(0)).toEqual({
      unit: 'edgedock-inference.service',
      priority: 6,
      timeUs: 1733140800123456,
      message: 'inference service listening on 127.0.0.1:8080',
      cursor: 's=5b1e8f0a6c2d4e7f9a0b1c2d3e4f5a6b;i=1a2b;b=0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a;m=3b9aca0;t=62f1b2c3d4e5f;x=8c7d6e5f4a3b2c1d',
      bootId: '0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a'
    })
    expect(entry(1).unit).toBe('ssh.service')
  })

  it('names kernel entries "kernel"', () => {
    expect(entry(2)).toMatchObject({ unit: 'kernel', priority: 3, message: 'usb 1-1.3: device descriptor read/64, error -71' })
  })

  it('decodes a message given as bytes, replacing invalid UTF-8', () => {
    expect(entry(3).message).toBe('\u001b[31mwarn\u001b[0m \uFFFD hi')
  })

  it('takes the first value of a field given twice, and an empty message for null', () => {
    expect(entry(4)).toMatchObject({ message: 'first value', unit: 'edgedock-inference.service' })
    expect(entry(5).message).toBe('')
  })

  it('reports cut, foreign and non-object lines as dropped, without throwing', () => {
    expect(parsed.slice(6)).toEqual([
      { ok: false, reason: 'not-json' },
      { ok: false, reason: 'not-json' },
      { ok: false, reason: 'not-json' }
    ])
    expect(parseJournalLine(JSON.stringify({ MESSAGE: 'x' }))).toEqual({ ok: false, reason: 'no-cursor' })
    expect(parseJournalLine('x'.repeat(MAX_LINE_CHARS + 1))).toEqual({ ok: false, reason: 'oversized' })
    for (const junk of ['', 'null', '"s"', '{"__CURSOR": 5}', '{"__CURSOR":"c","PRIORITY":"99","__REALTIME_TIMESTAMP":"-1"}']) {
      expect(() => parseJournalLine(junk)).not.toThrow()
    }
    expect(parseJournalLine('{"__CURSOR":"c","PRIORITY":"99","__REALTIME_TIMESTAMP":"-1"}')).toMatchObject({ ok: true, entry: { priority: null, timeUs: null } })
  })

  it('caps a long message and says so', () => {
    const p = parseJournalLine(JSON.stringify({ __CURSOR: 'c', MESSAGE: 'y'.repeat(50_000) }), 100)
    expect(p.ok && p.entry.message).toBe(`${'y'.repeat(100)}… [cut, 50000 characters]`)
    expect(capMessage('short')).toBe('short')
  })
})

describe('sameEntry', () => {
  it('compares entries by sequence-number id and number, not the whole string', () => {
    expect(sameEntry('s=a;i=10;b=x;m=1;t=2;x=3', 's=a;i=10;b=x;m=1;t=2;x=9')).toBe(true)
    expect(sameEntry('s=a;i=10', 's=a;i=11')).toBe(false)
    expect(sameEntry('s=a;i=10', 's=b;i=10')).toBe(false)
    expect(sameEntry('garbage', 'other')).toBe(false)
  })
})
