// `edgedock flash <image> --to <drive-or-file>...`: a flash job followed on the terminal (each
// target's phase, rate and time left on a TTY; Ctrl-C cancels and leaves no card looking
// bootable), then a table of the targets with the SHA-256 read back from each, or --json.
// Also the hidden `__flash-helper`, the writer helper the app starts (elevated where needed).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Command } from 'commander'
import type { FlashCustomise, FlashJobResult, FlashProgressEvent } from '../../shared/contract-flash'
import { EdgeError, errorMessage, isErrorCode } from '../../shared/errors'
import { formatEta, formatRate } from '../../shared/format'
import type { CliContext } from './cli-context'
import { followJob } from './follow-job'
import { table } from './format'

interface FlashOptions {
  to?: string[]
  sha256?: string
  hostname?: string
  user?: string
  passwordEnv?: string
  sshKey?: string[]
  edgedockKey: boolean
  wifiSsid?: string
  wifiPskEnv?: string
  wifiCountry?: string
  timezone?: string
  locale?: string
  keyboard?: string
  staticIp?: string
  gateway?: string
  dns?: string[]
  yes?: boolean
}

const collect = (value: string, previous: string[] = []) => [...previous, value]

function fromEnv(name: string, what: string): string {
  const v = process.env[name]
  if (v === undefined || v === '') throw new EdgeError('INVALID_INPUT', `${what}: the environment variable ${name} is not set`)
  return v
}

/** First-boot settings from the options; undefined when none was given. */
export function customiseFrom(o: FlashOptions): FlashCustomise | undefined {
  const c: FlashCustomise = {}
  if (o.hostname !== undefined) c.hostname = o.hostname
  if (o.user !== undefined) {
    c.user = { name: o.user, ...(o.passwordEnv !== undefined ? { password: fromEnv(o.passwordEnv, '--password-env') } : {}) }
    c.edgedockKey = o.edgedockKey
  } else if (o.passwordEnv !== undefined) throw new EdgeError('INVALID_INPUT', '--password-env needs --user')
  if (o.sshKey?.length) {
    c.authorizedKeys = o.sshKey.map((f) => {
      try {
        return readFileSync(f, 'utf8').trim()
      } catch (err) {
        throw new EdgeError('INVALID_INPUT', `--ssh-key ${f}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
      }
    })
  }
  if (o.wifiSsid !== undefined || o.wifiPskEnv !== undefined || o.wifiCountry !== undefined) {
    if (o.wifiSsid === undefined || o.wifiPskEnv === undefined || o.wifiCountry === undefined) {
      throw new EdgeError('INVALID_INPUT', 'Wi-Fi needs all of --wifi-ssid, --wifi-psk-env and --wifi-country')
    }
    c.wifi = { ssid: o.wifiSsid, passphrase: fromEnv(o.wifiPskEnv, '--wifi-psk-env'), country: o.wifiCountry }
  }
  if (o.timezone !== undefined) c.timezone = o.timezone
  if (o.locale !== undefined) c.locale = o.locale
  if (o.keyboard !== undefined) c.keyboardLayout = o.keyboard
  if (o.staticIp !== undefined) c.staticIp = { interface: 'eth0', address: o.staticIp, ...(o.gateway ? { gateway: o.gateway } : {}), ...(o.dns?.length ? { dns: o.dns } : {}) }
  else if (o.gateway !== undefined || o.dns !== undefined) throw new EdgeError('INVALID_INPUT', '--gateway and --dns need --static-ip')
  return Object.keys(c).length > 0 ? c : undefined
}

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`

function progressLine(targets: readonly string[], last: ReadonlyMap<string, FlashProgressEvent>): string {
  return targets
    .map((t) => {
      const p = last.get(t)
      if (!p) return `${path.basename(t)} waiting`
      const pct = p.total ? ` ${Math.min(100, (p.bytes / p.total) * 100).toFixed(0)}%` : ` ${mb(p.bytes)}`
      const rate = formatRate(p.rate, 'bytes')
      const eta = p.etaSeconds === null ? '' : ` ${formatEta(p.etaSeconds)} left`
      return `${path.basename(t)} ${p.phase}${p.phase === 'done' ? '' : pct}${rate ? ` ${rate}` : ''}${p.phase === 'done' ? '' : eta}`
    })
    .join('  |  ')
}

/** The sentence for a target's error, from the error table (the helper's English is the fallback). */
const sentence = (e: { code: string; message: string; detail: string }) => (isErrorCode(e.code) ? errorMessage(e.code, 'en', e.detail) : e.message)

export function registerFlashCommands(program: Command, c: CliContext): void {
  program
    .command('__flash-helper', { hidden: true })
    .description('the writer helper the app starts; speaks JSON lines on stdin/stdout')
    .action(async () => {
      const { runWriterHelper } = await import('../core/flash/writer-helper')
      await runWriterHelper(process.stdin, process.stdout)
    })

  program
    .command('flash')
    .description('write an OS image (.img, .img.xz, .img.gz, .img.zst, .zip) to drives or image files, verify it, set up the first boot')
    .argument('<image>', 'the image file')
    .argument('[targets...]', 'drives (/dev/sdX) or image files to write')
    .option('--to <target>', 'a drive or image file to write (repeat for several)', collect)
    .option('--sha256 <hex>', 'the SHA-256 the image file must have; the write is only committed when it matches')
    .option('--hostname <name>', 'first boot: the unit\'s hostname')
    .option('--user <name>', 'first boot: the user to create')
    .option('--password-env <var>', 'first boot: the user\'s password, from this environment variable')
    .option('--ssh-key <file>', 'first boot: a public key for the user\'s authorized_keys (repeat for several)', collect)
    .option('--no-edgedock-key', 'first boot: do not put EdgeDock\'s own SSH key in authorized_keys')
    .option('--wifi-ssid <ssid>', 'first boot: Wi-Fi network')
    .option('--wifi-psk-env <var>', 'first boot: Wi-Fi passphrase, from this environment variable')
    .option('--wifi-country <cc>', 'first boot: Wi-Fi country code, e.g. GB')
    .option('--timezone <tz>', 'first boot: time zone, e.g. Europe/London')
    .option('--locale <locale>', 'first boot: locale, e.g. en_GB.UTF-8')
    .option('--keyboard <layout>', 'first boot: keyboard layout, e.g. gb')
    .option('--static-ip <cidr>', 'first boot: static IPv4 address on eth0, e.g. 192.168.1.50/24')
    .option('--gateway <ip>', 'first boot: gateway for --static-ip')
    .option('--dns <ip>', 'first boot: DNS server for --static-ip (repeat for several)', collect)
    .option('--yes', 'do not stop before erasing drives (needed for /dev targets, and for drives over 128 GB)')
    .action(async (image: string, positional: string[], o: FlashOptions) => {
      const targets = [...positional, ...(o.to ?? [])].map((t) => path.resolve(t))
      if (targets.length === 0) throw new EdgeError('INVALID_INPUT', 'name at least one target with --to')
      const source = path.resolve(image)
      const customise = customiseFrom(o)
      const drives = targets.filter((t) => t.startsWith('/dev/'))
      if (drives.length > 0) {
        // Refusals in plain words before anything starts; the helper checks every rule again itself.
        const known = await c.call('flash.drives', { source })
        for (const t of drives) {
          const d = known.find((k) => k.path === t)
          if (d && d.verdict.state === 'refused' && d.verdict.code && isErrorCode(d.verdict.code)) throw new EdgeError(d.verdict.code, d.verdict.detail)
        }
        if (!o.yes) throw new EdgeError('INVALID_INPUT', `writing ${drives.join(', ')} erases everything on ${drives.length === 1 ? 'it' : 'them'}; add --yes to go ahead`)
      }
      const { jobId } = await c.call('flash.start', {
        source: { path: source },
        targets,
        ...(o.sha256 ? { sha256: o.sha256 } : {}),
        ...(o.yes ? { confirmLarge: true } : {}),
        ...(customise ? { customise } : {})
      })
      const tty = process.stderr.isTTY && !c.json
      const last = new Map<string, FlashProgressEvent>()
      const off = await c.subscribe((event, payload) => {
        if (event !== 'flash.progress') return
        const p = payload as FlashProgressEvent
        if (p.jobId !== jobId) return
        last.set(p.target, p)
        if (tty) c.err(`\r\x1b[2K${progressLine(targets, last)}`)
      })
      let job
      try {
        // Log lines (one per target at the end) go to stderr when not on a TTY or not --json.
        job = await followJob(c, jobId, c.json ? null : tty ? null : c.err)
      } finally {
        off()
        if (tty) c.err('\r\x1b[2K')
      }
      const result = job.result as FlashJobResult | null
      const rows = result?.targets ?? []
      c.print(
        {
          jobId,
          state: job.state,
          format: result?.format ?? null,
          error: job.error,
          targets: rows.map((r) => ({
            target: r.target,
            bytesWritten: r.bytesWritten,
            sha256: r.sha256,
            verified: r.verified,
            seconds: r.seconds,
            firstBoot: r.firstBoot,
            error: r.error ? { code: r.error.code, message: sentence(r.error) } : null
          }))
        },
        () => {
          if (rows.length === 0) return `Flash ${job.state}: ${job.error?.message ?? ''}`
          const body = table(
            rows.map((r) => ({
              target: r.target,
              state: r.error ? (r.error.code === 'FLASH_CANCELLED' ? 'cancelled' : 'FAILED') : 'verified',
              written: mb(r.bytesWritten),
              seconds: r.seconds.toFixed(1),
              sha256: r.sha256 ?? ''
            })),
            ['target', 'state', 'written', 'seconds', 'sha256']
          )
          const notes = rows.flatMap((r) => [
            ...(r.error ? [`${r.target}: ${sentence(r.error)}`] : []),
            ...(r.firstBoot ? [`${r.target}: first boot set up (${r.firstBoot.mechanism})${r.firstBoot.pinnedAs ? `, host key ${r.firstBoot.hostKeyFingerprint} pinned for ${r.firstBoot.pinnedAs}` : ''}`] : [])
          ])
          return [body, ...notes].join('\n')
        }
      )
      if (job.state !== 'succeeded') process.exitCode = 1
    })
}
