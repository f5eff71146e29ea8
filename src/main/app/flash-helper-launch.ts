// How the app starts the flash writer helper: `edgedock __flash-helper` (the same bin as the CLI,
// so the bundle or the sources alike), with Node itself; through pkexec on Linux when a target is
// a drive and this process is not root. The app never runs as root; only this helper does.
// macOS and Windows equivalents are described in docs/architecture.md (Flash) and not built yet.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { helperCommand, type HelperLaunch } from '../core/flash/helper-client'
import { projectRoot } from './project-root'

export const FLASH_HELPER_COMMAND = '__flash-helper'

/** Node, also from inside Electron (its binary runs as Node with ELECTRON_RUN_AS_NODE, which pkexec would drop from the environment). */
function nodeEntry(): string[] {
  const bin = path.join(projectRoot(), 'bin', 'edgedock.js')
  return process.versions.electron ? ['/usr/bin/env', 'ELECTRON_RUN_AS_NODE=1', process.execPath, bin, FLASH_HELPER_COMMAND] : [process.execPath, bin, FLASH_HELPER_COMMAND]
}

export function flashHelperLaunch(needsRoot: boolean): HelperLaunch {
  return {
    command: helperCommand(nodeEntry(), needsRoot),
    // stderr is kept by the client for its error sentence; nothing of the app's environment is secret here.
    spawn: (cmd, args) => spawn(cmd, args, { stdio: 'pipe' })
  }
}
