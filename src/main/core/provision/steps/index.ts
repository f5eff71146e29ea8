// Every step kind a profile may use, by the name it has in YAML.
import type { StepKind } from '../step-kind'
import { authorizedKeyStep } from './authorized-key-step'
import { benchmarkStep } from './benchmark-step'
import { cpuGovernorStep } from './cpu-governor-step'
import { healthStep } from './health-step'
import { hostnameStep } from './hostname-step'
import { localeStep } from './locale-step'
import { modelStep } from './model-step'
import { rebootStep } from './reboot-step'
import { runtimeStep } from './runtime-step'
import { sshPasswordOffStep } from './ssh-password-off-step'
import { timezoneStep } from './timezone-step'
import { wifiStep } from './wifi-step'

export const STEP_KINDS: ReadonlyMap<string, StepKind> = new Map(
  [
    hostnameStep,
    timezoneStep,
    localeStep,
    wifiStep,
    authorizedKeyStep,
    sshPasswordOffStep,
    runtimeStep,
    modelStep,
    healthStep,
    benchmarkStep,
    cpuGovernorStep,
    rebootStep
  ].map((k) => [k.kind, k])
)
