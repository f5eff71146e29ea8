import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatTarget, parseTarget } from '../../../src/shared/target'

describe('parseTarget', () => {
  it('reads user@host:port the way a technician types it', () => {
    expect(parseTarget('pi@192.168.1.50')).toEqual({ ok: true, target: { user: 'pi', host: '192.168.1.50', port: 22 } })
    expect(parseTarget('admin@door-lobby-01.local:2222')).toEqual({
      ok: true,
      target: { user: 'admin', host: 'door-lobby-01.local', port: 2222 }
    })
    expect(parseTarget('raspberrypi.local', 'pi')).toEqual({ ok: true, target: { user: 'pi', host: 'raspberrypi.local', port: 22 } })
    expect(parseTarget('pi@[fe80::1]:22')).toMatchObject({ ok: true, target: { host: '[fe80::1]', port: 22 } })
  })

  it('refuses ports out of range and empty hosts', () => {
    expect(parseTarget('pi@host:70000').ok).toBe(false)
    expect(parseTarget('pi@').ok).toBe(false)
    expect(parseTarget('Root User@host').ok).toBe(false)
  })

  it('never accepts a host or user carrying a shell metacharacter', () => {
    const meta = fc.constantFrom(';', '$(', '`', "'", '"', '\n', '|', '&', '>', '<', ' ', '\\', '*', '?', '{', '~', '\u202e')
    const bad = /[;$`'"|&><\s\\*?{~\u202e()]/
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), meta, fc.string({ maxLength: 10 }), (a, m, b) => {
        // Surrounding whitespace is trimmed (a pasted newline); whatever is accepted is clean.
        for (const text of [`pi@${a}${m}${b}`, `${a}${m}${b}@host`]) {
          const r = parseTarget(text)
          if (r.ok) {
            expect(r.target.host).not.toMatch(bad)
            expect(r.target.user).not.toMatch(bad)
          }
        }
        // Inside the name, never.
        expect(parseTarget(`pi@door${m}x`).ok).toBe(false)
        expect(parseTarget(`p${m}i@door`).ok).toBe(false)
      })
    )
  })

  it('round-trips what it formats', () => {
    const t = { user: 'pi', host: 'door-7', port: 2201 }
    expect(parseTarget(formatTarget(t))).toEqual({ ok: true, target: t })
  })
})
