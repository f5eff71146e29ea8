// The EdgeDock runtime and inference service, through the runtime module's installer (a port: the
// runtime module ships its own plan and checks).
import * as z from 'zod'
import { EdgeError } from '../../../../shared/errors'
import { text } from '../../../../shared/texts'
import type { RuntimeInstaller } from '../remote-shell'
import { defineStep, type StepEnv } from '../step-kind'

const params = z.strictObject({})
type P = z.infer<typeof params>

function installer(env: StepEnv): RuntimeInstaller {
  if (!env.ports.runtime) throw new EdgeError('PROVISION_STEP_FAILED', 'this EdgeDock build has no runtime installer connected')
  return env.ports.runtime
}

export const runtimeStep = defineStep<P, { installed: string | null }>({
  kind: 'runtime',
  params,
  title: () => text('pstep.runtime'),
  notifies: ['restart-inference'],
  async check(env) {
    return { installed: await installer(env).installed(env.shell, env.io.signal) }
  },
  plan(f, _p, env) {
    const wanted = installer(env).wanted()
    return { changes: f.installed === wanted ? [] : [{ field: 'EdgeDock runtime', from: f.installed, to: wanted }] }
  },
  async apply(env) {
    await installer(env).install(env.shell, { signal: env.io.signal, log: (t) => env.io.log('info', t) })
  }
})
