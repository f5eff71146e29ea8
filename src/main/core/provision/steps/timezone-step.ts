// Time zone through systemd-timedated, as on Raspberry Pi OS (raspi-config does the same). A zone
// the unit has no data for is reported by check, so a dry run already says so, before any change.
import * as z from 'zod'
import { text } from '../../../../shared/texts'
import { defineStep } from '../step-kind'

const params = z.strictObject({ timezone: z.string().regex(/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/, 'must be a time zone such as Europe/Berlin') })
type P = z.infer<typeof params>

export const timezoneStep = defineStep<P, { timezone: string }>({
  kind: 'timezone',
  params,
  title: (p) => text('pstep.timezone', { timezone: p.timezone }),
  async check({ io }, p) {
    const r = await io.must(['timedatectl', 'show', '--property=Timezone', '--value'], 'Could not read the time zone')
    const timezone = r.stdout.trim()
    if (timezone !== p.timezone) {
      const known = await io.read(['test', '-e', `/usr/share/zoneinfo/${p.timezone}`])
      if (known.code !== 0) {
        io.fail(`The unit has no time zone "${p.timezone}": check the name, or install the tzdata package on the unit`)
      }
    }
    return { timezone }
  },
  plan: (f, p) => ({ changes: f.timezone === p.timezone ? [] : [{ field: 'time zone', from: f.timezone || null, to: p.timezone }] }),
  async apply({ io }, p) {
    await io.must(['timedatectl', 'set-timezone', p.timezone], `Could not set the time zone to ${p.timezone}`, { sudo: true })
  }
})
