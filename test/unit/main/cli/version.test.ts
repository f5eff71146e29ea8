// `edgedock --version` is what a technician pastes into a bug report, so it must match the package.
import { mkdtempSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../../../src/main/cli/main'

const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string }

describe('edgedock --version', () => {
  it('prints the package version and exits 0', async () => {
    let out = ''
    const code = await main(['--version'], { out: (s) => (out += s), err: () => {} })
    expect(code).toBe(0)
    expect(out.trim()).toBe(pkg.version)
  })
})

describe('--version after a command', () => {
  it('stays the model version of `models import`, not the program version', async () => {
    let err = ''
    const code = await main(['--data-dir', mkdtempSync(path.join(os.tmpdir(), 'edgedock-version-')), 'models', 'import', 'missing.onnx', '--version', '3'], {
      out: () => {},
      err: (s) => (err += s)
    })
    // It reached the import (which refuses the missing file) instead of printing 0.1.0 and exiting 0.
    expect(code).not.toBe(0)
    expect(err).not.toBe('')
  })
})
