// Runs plan steps on this machine, standing in for the SSH layer: the same argv arrays reach the
// same GNU tools Raspberry Pi OS has (coreutils, findutils), only without SSH and sudo.
import { execFile } from 'node:child_process'
import { createReadStream, createWriteStream } from 'node:fs'
import { chmod, copyFile, writeFile } from 'node:fs/promises'
import { pipeline } from 'node:stream/promises'
import { createGunzip } from 'node:zlib'
import type { PlanStep } from '../../../src/main/core/runtime/plan-steps'

export interface StepOutcome {
  id: string
  exitCode: number
  stdout: string
  stderr: string
}

export function runStepLocally(step: PlanStep): Promise<StepOutcome> {
  switch (step.kind) {
    case 'upload':
      // A packed file is unpacked on the way in, as the unit's `gzip -dc` does.
      return (step.gunzip ? pipeline(createReadStream(step.local), createGunzip(), createWriteStream(step.remote)) : copyFile(step.local, step.remote))
        .then(() => chmod(step.remote, step.mode))
        .then(() => ({ id: step.id, exitCode: 0, stdout: '', stderr: '' }))
    case 'write':
      return writeFile(step.remote, step.content, { mode: step.mode }).then(() => ({ id: step.id, exitCode: 0, stdout: '', stderr: '' }))
    case 'run':
      return new Promise((resolve) => {
        const [file, ...args] = step.argv
        const child = execFile(file as string, args, { encoding: 'utf8' }, (error, stdout, stderr) => {
          resolve({ id: step.id, exitCode: error ? (typeof error.code === 'number' ? error.code : 127) : 0, stdout, stderr })
        })
        // A command that exits without reading stdin closes the pipe: that is not a failure here.
        child.stdin?.on('error', () => undefined)
        child.stdin?.end(step.stdin ?? '')
      })
  }
}

/** Runs steps in order and stops at the first failure, as the SSH layer will. */
export async function runPlanLocally(steps: readonly PlanStep[]): Promise<StepOutcome[]> {
  const done: StepOutcome[] = []
  for (const step of steps) {
    const outcome = await runStepLocally(step)
    done.push(outcome)
    if (outcome.exitCode !== 0) throw new Error(`step ${step.id} failed (${outcome.exitCode}): ${outcome.stderr}`)
  }
  return done
}
