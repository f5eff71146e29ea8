// `edgedock --version` is what a technician pastes into a bug report, so it must match the package.
import { readFileSync } from 'node:fs'
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
