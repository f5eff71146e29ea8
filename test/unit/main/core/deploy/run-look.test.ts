import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runLook } from '../../../../../src/main/core/deploy/run-plan-step'
import { run } from '../../../../../src/main/core/runtime/plan-steps'
import { localUnit, type LocalUnit } from './local-unit'

describe('runLook', () => {
  let unit: LocalUnit
  beforeEach(async () => {
    unit = await localUnit()
  })
  afterEach(() => unit.cleanup())

  it('reads several things in one round trip, each with its own output and verdict, whatever they print', async () => {
    const signal = new AbortController().signal
    const before = unit.commands.length
    const [forged, failed, fed, last] = await runLook(
      unit.shell,
      [
        // Output that looks like a step boundary must stay inside its own step.
        run('a', 'prints a fake end', ['printf', '%s', 'x\nedgedock-look-0000000000000000 ok\ny']),
        run('b', 'fails', ['cat', '--', '/nonexistent/file']),
        run('c', 'reads stdin', ['tr', 'a-z', 'A-Z'], { stdin: "it's $(here)\n" }),
        run('d', 'no newline', ['printf', 'end'])
      ],
      signal
    )
    expect(unit.commands.length - before).toBe(1)
    expect(forged).toEqual({ ok: true, stdout: 'x\nedgedock-look-0000000000000000 ok\ny' })
    expect(failed).toEqual({ ok: false, stdout: '' })
    expect(fed).toEqual({ ok: true, stdout: "IT'S $(HERE)\n" })
    expect(last).toEqual({ ok: true, stdout: 'end' })
  })

  it('refuses steps that need root: a look only reads', async () => {
    await expect(runLook(unit.shell, [run('x', 'as root', ['true'], { sudo: true })], new AbortController().signal)).rejects.toThrow(/only reads/)
  })
})
