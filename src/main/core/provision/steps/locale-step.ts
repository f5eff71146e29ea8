// The system locale (LANG in /etc/default/locale). A locale must be generated before localectl
// accepts it; Raspberry Pi OS ships the `locales` package for that, a minimal Debian may not.
import * as z from 'zod'
import { text } from '../../../../shared/texts'
import { defineStep } from '../step-kind'
import { readFile } from '../step-io'
import type { Change } from '../provision-types'

const params = z.strictObject({ locale: z.string().regex(/^(?:[a-z]{2,3}_[A-Z]{2}|C)\.UTF-8$/, 'must be a UTF-8 locale such as en_GB.UTF-8') })
type P = z.infer<typeof params>

/** `locale -a` prints en_GB.utf8 for en_GB.UTF-8: compare in that normal form. */
const normal = (name: string) => name.trim().toLowerCase().replace(/\.utf-?8$/, '.utf8')

function langOf(defaults: string | null): string | null {
  const m = /^\s*LANG=["']?([^"'\n]*)["']?\s*$/m.exec(defaults ?? '')
  return m?.[1] ? m[1] : null
}

interface Facts {
  available: string[]
  lang: string | null
}

export const localeStep = defineStep<P, Facts>({
  kind: 'locale',
  params,
  title: (p) => text('pstep.locale', { locale: p.locale }),
  async check({ io }, p) {
    const list = await io.must(['locale', '-a'], 'Could not list the installed locales')
    const available = list.stdout.split('\n').filter((l) => l.trim()).map(normal)
    if (!available.includes(normal(p.locale))) {
      // Found here, not at apply: a dry run then says the step cannot work instead of promising it.
      const [name] = p.locale.split('.') as [string]
      const sources = await io.read(['test', '-e', `/usr/share/i18n/locales/${name}`])
      if (sources.code !== 0) io.fail(`The unit cannot make the locale "${p.locale}": it has no locale sources (install the "locales" package on the unit, or pick C.UTF-8)`)
    }
    return { available, lang: langOf(await readFile(io, '/etc/default/locale')) }
  },
  plan(f, p) {
    const changes: Change[] = []
    if (!f.available.includes(normal(p.locale))) changes.push({ field: 'locale generated', from: null, to: p.locale })
    if (f.lang !== p.locale) changes.push({ field: 'LANG', from: f.lang, to: p.locale })
    return { changes }
  },
  async apply({ io }, p, f) {
    if (!f.available.includes(normal(p.locale))) {
      const [name] = p.locale.split('.') as [string]
      // What Debian's locale-gen runs for one entry; it needs the locale sources of the `locales` package.
      await io.must(
        ['localedef', '-i', name, '-c', '-f', 'UTF-8', '-A', '/usr/share/locale/locale.alias', p.locale],
        `Could not generate the locale ${p.locale} (install the "locales" package on the unit, or pick C.UTF-8)`,
        { sudo: true }
      )
    }
    if (f.lang !== p.locale) {
      await io.must(['localectl', 'set-locale', `LANG=${p.locale}`], `Could not set the system locale to ${p.locale}`, { sudo: true })
    }
  }
})
