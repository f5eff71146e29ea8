// CPU frequency governor for repeatable benchmarks. Virtual machines have no cpufreq: skipped with
// a note. The kernel resets the governor at boot, so a re-run after a reboot sets it again.
import * as z from 'zod'
import { text } from '../../../../shared/texts'
import { defineStep } from '../step-kind'

const params = z.strictObject({ governor: z.enum(['performance', 'ondemand', 'powersave', 'schedutil', 'conservative']).default('performance') })
type P = z.infer<typeof params>

// A constant script: the glob is the only way to list per-CPU files without following symlinks by hand.
const LIST_GOVERNORS =
  'for f in /sys/devices/system/cpu/cpu[0-9]*/cpufreq/scaling_governor; do [ -r "$f" ] && printf "%s %s\\n" "$f" "$(cat "$f")"; done; true'

export const cpuGovernorStep = defineStep<P, { files: { path: string; value: string }[] }>({
  kind: 'cpu-governor',
  params,
  title: (p) => text('pstep.cpuGovernor', { governor: p.governor }),
  async check({ io }) {
    const r = await io.must(['sh', '-c', LIST_GOVERNORS], 'Could not read the CPU governors')
    const files = r.stdout
      .split('\n')
      .map((l) => /^(\/sys\/\S+) (\S+)$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ path: m[1] as string, value: m[2] as string }))
    return { files }
  },
  plan(f, p) {
    if (f.files.length === 0) return { skip: text('note.noCpufreq') }
    return {
      changes: f.files
        .filter((x) => x.value !== p.governor)
        .map((x) => ({ field: `governor ${/cpu[0-9]+/.exec(x.path)?.[0] ?? x.path}`, from: x.value, to: p.governor }))
    }
  },
  async apply({ io }, p, f) {
    const paths = f.files.filter((x) => x.value !== p.governor).map((x) => x.path)
    await io.must(['tee', '--', ...paths], `Could not set the CPU governor to ${p.governor}`, { sudo: true, stdin: `${p.governor}\n` })
  }
})
