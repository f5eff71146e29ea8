// The layering rule, run through ESLint with the project's own config on code placed in each layer.
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint({ cwd: process.cwd() })
async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const results = await eslint.lintText(code, { filePath })
  return results.flatMap((r) => r.messages).filter((m) => m.ruleId === 'edgedock/layers').map((m) => m.message)
}

describe('layering of src/', () => {
  it('refuses api/ importing the composition root', async () => {
    const errors = await layerErrors('src/main/api/x-api.ts', "import { createApp } from '../app/create-app'\nexport const x = createApp\n")
    expect(errors).toEqual([expect.stringContaining('src/main/api may not import src/main/app')])
  })

  it('refuses electron outside the Electron entry and the preload, and allows it there', async () => {
    expect(await layerErrors('src/main/core/x.ts', "import { app } from 'electron'\nexport const x = app\n")).toHaveLength(1)
    expect(await layerErrors('src/main/cli/x.ts', "import { app } from 'electron'\nexport const x = app\n")).toHaveLength(1)
    expect(await layerErrors('src/preload/x.ts', "import { ipcRenderer } from 'electron'\nexport const x = ipcRenderer\n")).toEqual([])
  })

  it('keeps node out of src/shared and the renderer, and main-process code out of the renderer', async () => {
    expect(await layerErrors('src/shared/x.ts', "import fs from 'node:fs'\nexport const x = fs\n")).toHaveLength(1)
    expect(await layerErrors('src/renderer/src/x.ts', "import { createApp } from '../../main/app/create-app'\nexport const x = createApp\n")).toHaveLength(1)
    expect(await layerErrors('src/renderer/src/x.ts', "import type { Job } from '../../shared/domain'\nexport type X = Job\n")).toEqual([])
  })

  it('lets core name store types but not store code', async () => {
    expect(await layerErrors('src/main/core/x.ts', "import type { DevicesRepo } from '../store/devices-repo'\nexport type X = DevicesRepo\n")).toEqual([])
    expect(await layerErrors('src/main/core/x.ts', "import { openDatabase } from '../store/open-database'\nexport const x = openDatabase\n")).toHaveLength(1)
  })
})

describe('the CLI is a client of the contract', () => {
  it('refuses reaching into services or repositories', async () => {
    const [r] = await eslint.lintText('export const f = (app: { services: { devices: unknown } }) => app.services.devices\n', {
      filePath: 'src/main/cli/x-commands.ts'
    })
    expect(r?.messages.map((m) => m.message)).toEqual([expect.stringContaining('goes through the contract')])
  })
})
