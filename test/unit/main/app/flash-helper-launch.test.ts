// How the writer helper is started: as the user for image files, through pkexec for a drive when
// the app is not root; always the same bin as the CLI with the hidden helper command.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { FLASH_HELPER_COMMAND, flashHelperLaunch } from '../../../../src/main/app/flash-helper-launch'
import { helperCommand, targetsNeedRoot } from '../../../../src/main/core/flash/helper-client'

const entry = [process.execPath, path.resolve('bin', 'edgedock.js'), FLASH_HELPER_COMMAND]

describe('flash helper launch', () => {
  it('runs the helper unprivileged when no target needs root', () => {
    expect(flashHelperLaunch(false).command).toEqual(entry)
  })

  it('goes through pkexec for a drive unless the app already runs as root', () => {
    const root = process.getuid?.() === 0
    expect(flashHelperLaunch(true).command).toEqual(process.platform === 'linux' && !root ? ['pkexec', ...entry] : entry)
  })

  it('asks for pkexec only on Linux, only for a non-root user, only when a target is a device', () => {
    expect(helperCommand(entry, true, 'linux', 1000)).toEqual(['pkexec', ...entry])
    expect(helperCommand(entry, true, 'linux', 0)).toEqual(entry)
    expect(helperCommand(entry, false, 'linux', 1000)).toEqual(entry)
    expect(helperCommand(entry, true, 'darwin', 501)).toEqual(entry)
    expect(targetsNeedRoot(['/tmp/card.img', '/dev/sdb'])).toBe(true)
    expect(targetsNeedRoot(['/tmp/card.img'])).toBe(false)
  })
})
