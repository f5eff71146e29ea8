// The README works as written: every command in its ```sh / ```bash blocks is either run here
// (against one lab Pi from the shared lab, with a fresh data directory) or listed below with the
// reason it cannot run here, so a command added to the README fails this test until it is
// classified. What runs is the README's own text: `npx edgedock` becomes the built CLI
// (node bin/edgedock.js), optional `[...]` parts are dropped or kept as each entry says, and only
// placeholders are replaced (a unit's address or console, a NAME, the station's P/H/D).
// The provisioning example runs exactly so: its dry run, the real run, and a second real run that
// must report 0 changes.
import { spawn } from 'node:child_process'
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { projectRoot } from '../../helpers/run-cli'
import { tempDir } from '../../helpers/temp-dir'
import { inLabArgv, inventory, PI_PASSWORD, reset, type InventoryEntry } from '../../lab'
import { labSkipReason, releaseLab, useLab } from '../../lab/vitest'
import { digitsFile, digitsVariant, prepareDataDir } from '../deploy/deploy-lab'

const README = readFileSync(path.join(projectRoot, 'README.md'), 'utf8')
const SAMPLES = path.join(projectRoot, 'resources/models/digits_samples_100.json')

/** Every command line of the README's sh/bash blocks, without its trailing `# comment`. */
function readmeCommands(markdown: string): string[] {
  const out: string[] = []
  for (const m of markdown.matchAll(/^```(?:sh|bash)[ \t]*\n([\s\S]*?)^```/gm)) {
    for (const raw of (m[1] ?? '').split('\n')) {
      const line = raw.replace(/\s+#\s.*$/, '').trim()
      if (line && !line.startsWith('#')) out.push(line)
    }
  }
  return out
}

/** `bare`: without the optional `[...]` parts; `full`: with every one of them. */
type Form = 'bare' | 'full'
function words(command: string, form: Form): string[] {
  const text = form === 'bare' ? command.replace(/\s*\[[^\]]*\](?:\.\.\.)?/g, '') : command.replace(/\](?:\.\.\.)?/g, '').replace(/\[/g, '')
  return text.split(/\s+/).filter(Boolean)
}

interface Ctx {
  pi: InventoryEntry
  /** Placeholder -> value, word by word. */
  subst: Record<string, string>
  /** Where relative file names in the README (site-plan.csv, face_int8.onnx, labelled.json) are. */
  workDir: string
  env: NodeJS.ProcessEnv
}

interface Ran {
  code: number
  stdout: string
  stderr: string
}

function spawnCollect(argv: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0] as string, argv.slice(1), { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs)
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code: code ?? -1, stdout, stderr })
    })
  })
}

/** The README's words as argv: placeholders replaced, `npx edgedock` as the built CLI. */
function argvOf(ctx: Ctx, command: string, form: Form): string[] {
  const w = words(command, form).map((x) => ctx.subst[x] ?? x)
  const out: string[] = []
  for (let i = 0; i < w.length; i++) {
    if (w[i] === 'npx' && w[i + 1] === 'edgedock') {
      out.push(process.execPath, path.join(projectRoot, 'bin', 'edgedock.js'))
      i++
    } else out.push(w[i] as string)
  }
  return out
}

/** Runs the command on the unit's LAN (inside the lab namespace), from the work dir. */
async function sh(ctx: Ctx, command: string, form: Form, timeoutMs = 120_000): Promise<Ran> {
  const argv = argvOf(ctx, command, form)
  const npm = argv[0] === 'npm'
  const r = await spawnCollect(npm ? argv : ctx.pi.netns ? inLabArgv(argv) : argv, { cwd: npm ? projectRoot : ctx.workDir, env: ctx.env, timeoutMs })
  expect(r.code, `${command} (${form})\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-3000)}`).toBe(0)
  return r
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })

/** Starts the station as written, reads its one line, fetches the page with the token, stops it. */
async function station(ctx: Ctx, command: string): Promise<void> {
  const argv = argvOf(ctx, command, 'full')
  // Its own process group, so stopping it stops the node process npm started too.
  const child = spawn(argv[0] as string, argv.slice(1), { cwd: projectRoot, env: { ...process.env, ...ctx.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let out = ''
  let err = ''
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no station line within 60 s:\n${out}\n${err}`)), 60_000)
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        const m = /^EdgeDock station: (http:\/\/\S+)$/m.exec(out)
        if (m) {
          clearTimeout(timer)
          resolve(m[1] as string)
        }
      })
      child.on('close', (code) => reject(new Error(`the station ended (${code}):\n${out}\n${err}`)))
    })
    expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${ctx.subst.P}/\\?token=\\S+$`))
    expect((await fetch(url)).status).toBe(200)
    expect((await fetch(url.replace(/\?token=.*/, ''))).status).toBe(401)
  } finally {
    if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGTERM')
  }
}

const PROVISION = 'npx edgedock provision door-lobby-01 --profile door-access-unit --var site=hq --var unit=01 --password-env PW [--dry-run]'

type Entry = { readme: string; run: (ctx: Ctx, command: string) => Promise<void> } | { readme: string; notHere: string }

/** In the order they run. Each README command is here once, run or with the reason it is not. */
const COMMANDS: Entry[] = [
  { readme: 'bash scripts/setup.sh', notHere: 'installs Debian packages with apt (root) and runs npm install: it changes this machine, and the tests run on its result' },
  { readme: 'npm test', notHere: 'the whole suite (lint, build, every project), which includes this test' },
  { readme: 'sudo npm run demo', notHere: 'boots two more lab Pis and serves a station until Ctrl-C; the suites share one lab and boot no extra Pis' },
  { readme: 'npm start', notHere: 'opens the Electron window (downloads Electron on first use); the window is covered by test/e2e/electron-smoke.test.ts where the binary exists' },
  { readme: 'npm run station -- [--port P] [--host H] [--data-dir D]', run: station },
  {
    readme: 'npx edgedock devices add pi@192.168.1.50 --name door-lobby-01',
    run: async (ctx, c) => expect((await sh(ctx, c, 'full')).stdout).toContain(`Added door-lobby-01 (${ctx.subst['pi@192.168.1.50']})`)
  },
  { readme: 'npx edgedock devices list [--json]', run: async (ctx, c) => expect(JSON.parse((await sh(ctx, c, 'full')).stdout)).toMatchObject([{ name: 'door-lobby-01' }]) },
  { readme: 'npx edgedock devices check', run: async (ctx, c) => expect((await sh(ctx, c, 'bare')).stdout).toMatch(/^door-lobby-01\s+\S+\s+online\s/m) },
  { readme: 'npx edgedock history [--device NAME] [--json]', run: async (ctx, c) => expect(JSON.parse((await sh(ctx, c, 'full')).stdout)).toContainEqual(expect.objectContaining({ kind: 'device.added', deviceName: 'door-lobby-01' })) },
  { readme: 'npx edgedock jobs cancel 3f2a9c1e', notHere: "needs a job running in another process at that moment; test/integration/jobs/job-owners.lab.test.ts cancels one that way" },
  { readme: 'npx edgedock jobs [--json]', run: async (ctx, c) => expect(JSON.parse((await sh(ctx, c, 'full')).stdout)).toContainEqual(expect.objectContaining({ state: 'succeeded' })) },
  {
    readme: 'npx edgedock discover [--subnet CIDR]... [--login pi --password-env PW] [--json]',
    // Without the options: the lab's `exec -- npx edgedock discover --login …` below logs in.
    run: async (ctx, c) => expect((await sh(ctx, c, 'bare')).stdout).toMatch(new RegExp(`^${ctx.pi.ip.replace(/\./g, '\\.')}\\s.*Raspberry Pi`, 'm'))
  },
  { readme: 'npx edgedock usb', run: async (ctx, c) => expect((await sh(ctx, c, 'bare')).stdout).toMatch(/^Drives:/m) },
  {
    // Without --enable-ssh: SSH is on already, and turning it "on" again costs half a minute.
    readme: 'npx edgedock usb console-bootstrap /dev/ttyUSB0 --user pi --password-env PW [--enable-ssh]',
    run: async (ctx, c) => expect((await sh(ctx, c, 'bare')).stdout).toMatch(new RegExp(`^address\\s+${ctx.pi.ip.replace(/\./g, '\\.')}$`, 'm'))
  },
  {
    readme: PROVISION,
    run: async (ctx, c) => {
      const dry = await sh(ctx, c, 'full')
      expect(dry.stdout).toMatch(/^door-lobby-01: would change, \d+ changes$/m)
      expect(dry.stdout).toContain('~ reboot: running -> rebooted')
      const real = await sh(ctx, c, 'bare', 900_000)
      expect(real.stdout, real.stderr.slice(-3000)).toMatch(/^door-lobby-01: changed, \d+ changes$/m)
      // The same diff the dry run promised, with + for ~.
      const diff = (t: string) => t.split('\n').filter((l) => /^ {2}[~+] /.test(l)).map((l) => l.slice(4))
      expect(diff(real.stdout)).toEqual(diff(dry.stdout))
      // No model assigned: a running service with no model yet is a pass, and the report says so.
      expect(real.stdout).toContain('✓ Health of edgedock-inference: edgedock-inference runs; no model yet (none assigned)')
      const again = await sh(ctx, c, 'bare', 300_000)
      expect(again.stdout).toMatch(/^door-lobby-01: no changes$/m)
      expect(again.stdout.trim().split('\n').at(-1)).toBe('Provisioned door-access-unit: 1 unit, 0 changed, 1 without changes, 0 failed; 0 changes in all')
    }
  },
  {
    readme: 'npx edgedock provision --vars-csv site-plan.csv --profile door-access-unit --concurrency 8 --max-fail 2',
    // site-plan.csv names the unit provisioned above with the same values: a third run, also 0 changes.
    run: async (ctx, c) => expect((await sh(ctx, c, 'bare', 300_000)).stdout.trim()).toMatch(/; 0 changes in all$/)
  },
  {
    readme: 'npx edgedock provision pi@192.168.1.50 --profile bench-node --var hostname=bench-07 --identity ~/.ssh/id_ed25519 [--passphrase-env KEY_PASS]',
    notHere: "needs the technician's own key on the unit, and re-provisioning the lab Pi as a bench node costs another reboot; --identity is covered by test/integration/provision/identity-cli.test.ts"
  },
  {
    readme: 'npx edgedock flash raspios.img.xz --to /dev/sdb --to card2.img --sha256 HEX --hostname door-lobby-02 --user edge --password-env PW --yes',
    notHere: 'writes a real drive; the same command on image files is covered by test/integration/flash/flash-cli.test.ts'
  },
  { readme: 'npx edgedock host-key repin door-lobby-01 --fingerprint SHA256:…', notHere: 'needs a unit whose host key changed (a reflash); covered by test/integration/provision/host-key-change.lab.test.ts' },
  { readme: 'npx edgedock models import face_int8.onnx --name faces --version 3', run: async (ctx, c) => void (await sh(ctx, c, 'bare')) },
  { readme: 'npx edgedock models inspect faces@3', run: async (ctx, c) => expect((await sh(ctx, c, 'bare')).stdout).toMatch(/^precision: FP32$/m) },
  { readme: 'npx edgedock models compare faces@2 faces@3 --samples labelled.json', run: async (ctx, c) => expect((await sh(ctx, c, 'bare')).stdout).toMatch(/top-1 agreement: 100/) },
  {
    readme: 'npx edgedock models quantize faces@2 --method dynamic [--calibration calib.json]',
    run: async (ctx, c) => {
      const out = (await sh(ctx, c, 'bare', 300_000)).stdout
      expect(out).toMatch(/^Stored: faces@4 {2}sha256 [0-9a-f]{12}$/m)
      expect(out).toMatch(/top-1 agreement 100\.00%/)
    }
  },
  { readme: 'npx edgedock runtime install door-lobby-01', run: async (ctx, c) => expect((await sh(ctx, c, 'bare')).stdout).toMatch(/^door-lobby-01: already-installed /m) },
  { readme: 'npx edgedock push door-lobby-01 door-lobby-02 faces@3 [--no-delta]', notHere: 'needs two units and the suites share one lab Pi; push is covered by test/integration/deploy/push.lab.test.ts' },
  { readme: 'npx edgedock push door-0{1..9} faces@3 --canary door-01 --gate p90=60 --max-fail 1', notHere: 'needs a fleet; a rollout whose canary fails is covered by test/integration/deploy/push.lab.test.ts, the stages and the failure limit by test/unit/main/core/deploy/deploy-jobs.test.ts' },
  { readme: 'npx edgedock rollback door-lobby-01 [--version 2]', notHere: 'needs a model pushed before (see push); covered by test/integration/deploy/push.lab.test.ts' },
  { readme: 'npx edgedock devices model-status door-lobby-01', run: async (ctx, c) => expect((await sh(ctx, c, 'bare')).stdout).toMatch(/^Service:\s+no-model/m) },
  {
    readme: 'npx edgedock bench door-lobby-01 host --model faces@3 [--threads 1,2,4] [--samples labelled.json]',
    run: async (ctx, c) => {
      const out = (await sh(ctx, c, 'bare', 300_000)).stdout
      expect(out).toMatch(/^door-lobby-01\s+faces@3\s+auto\s+1\s+1\s+\d+\s+[\d.]+/m)
      expect(out).toMatch(/^host\s+faces@3\s+auto\s+1\s+1\s+\d+\s+[\d.]+/m)
    }
  },
  { readme: 'npx edgedock bench list', run: async (ctx, c) => expect((await sh(ctx, c, 'bare')).stdout).toMatch(/\s2\/2\s/) },
  {
    readme: 'npx edgedock logs door-lobby-01 [--unit edgedock-inference.service] [--grep error] [--since 2h] [--follow]',
    // --follow runs until Ctrl-C (covered by test/integration/cli/logs-cli.test.ts); the stored lines here.
    run: async (ctx, c) => expect((await sh(ctx, c, 'bare')).stdout.trim()).toMatch(/^No log lines match\.$|^(\d{4}-\d\d-\d\d [\d:.]+ {2}door-lobby-01 {2}.*\n?)+$/)
  },
  { readme: 'npm run bench', notHere: 'the benchmarks take minutes and bring up lab Pis of their own' },
  { readme: 'npm run lab -- up 2', notHere: 'boots two more Pis; this suite takes its Pi from the shared lab (useLab), the same code' },
  {
    readme: 'npx edgedock devices add pi@127.0.0.1:22201 --name lab-1',
    // Its own data dir: the inventory above already has this Pi as door-lobby-01.
    run: async (ctx, c) => {
      const other = tempDir('edgedock-readme-lab-')
      try {
        await sh({ ...ctx, env: { ...ctx.env, EDGEDOCK_DATA_DIR: other.dir } }, c, 'bare')
      } finally {
        other.cleanup()
      }
    }
  },
  { readme: 'npm run lab -- up 2 --net ns', notHere: 'boots two more Pis; this suite takes its Pi from the shared lab (useLab, --net ns), the same code' },
  {
    readme: 'npm run lab -- exec -- npx edgedock discover --login pi --password-env PW',
    run: async (ctx, c) => expect((await sh(ctx, c, 'bare')).stdout).toMatch(new RegExp(`^${ctx.pi.ip.replace(/\./g, '\\.')}\\s`, 'm'))
  },
  {
    readme: 'npm run lab -- list --json',
    run: async (ctx, c) => {
      const out = (await sh(ctx, c, 'bare')).stdout
      expect(JSON.parse(out.slice(out.indexOf('[')))).toContainEqual(expect.objectContaining({ name: ctx.pi.name, ip: ctx.pi.ip }))
    }
  },
  { readme: 'npm run lab -- down', notHere: "would take the shared lab down under the other suites; the run's globalSetup does it at the end" }
]

describe('README command blocks', () => {
  it('lists every command of the README here, run or with the reason it cannot run here', () => {
    const inReadme = readmeCommands(README)
    expect(inReadme.length).toBeGreaterThan(20)
    const known = new Set(COMMANDS.map((e) => e.readme))
    expect(inReadme.filter((c) => !known.has(c)), 'README commands this test does not know: run them below or say why not').toEqual([])
    expect([...known].filter((c) => !inReadme.includes(c)), 'commands listed here that the README no longer has').toEqual([])
    expect(COMMANDS.length).toBe(known.size)
  })
})

const skip = labSkipReason({ full: 1, net: 'ns' })
describe.skipIf(skip)(`README commands on a lab Pi${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let labWasUp = false
  let ctx: Ctx
  const data = tempDir('edgedock-readme-')
  const work = tempDir('edgedock-readme-work-')
  const stationData = tempDir('edgedock-readme-station-')

  beforeAll(async () => {
    labWasUp = inventory().some((u) => u.kind === 'full')
    const pi = (await useLab({ full: 1, net: 'ns' })).find((u) => u.kind === 'full') as InventoryEntry
    const target = `${pi.user}@${pi.ip}:${pi.port}`
    ctx = {
      pi,
      workDir: work.dir,
      env: { EDGEDOCK_DATA_DIR: data.dir, PW: PI_PASSWORD },
      subst: {
        'pi@192.168.1.50': target,
        'pi@127.0.0.1:22201': target,
        '/dev/ttyUSB0': pi.console ?? '/dev/null',
        NAME: 'door-lobby-01',
        P: String(await freePort()),
        H: '127.0.0.1',
        D: stationData.dir
      }
    }
    // The files the README names, as a technician would have them next to the commands.
    writeFileSync(path.join(work.dir, 'site-plan.csv'), 'device,site,unit\ndoor-lobby-01,hq,01\n')
    copyFileSync(digitsFile, path.join(work.dir, 'face_int8.onnx'))
    copyFileSync(SAMPLES, path.join(work.dir, 'labelled.json'))
    // The runtime bundle is built on this computer (the unit has no internet), and the library
    // already holds faces@2, which the README compares faces@3 with.
    await prepareDataDir(data.dir)
    const variant = digitsVariant(work.dir, 2)
    const r = await spawnCollect([process.execPath, path.join(projectRoot, 'bin', 'edgedock.js'), 'models', 'import', variant, '--name', 'faces', '--version', '2'], { cwd: work.dir, env: ctx.env, timeoutMs: 60_000 })
    expect(r.code, r.stderr).toBe(0)
  }, 900_000)

  afterAll(async () => {
    // Other suites expect a fresh unit (password login, hostname raspberrypi, no EdgeDock): give it back.
    if (ctx?.pi && (labWasUp || process.env.EDGEDOCK_LAB_GLOBAL === '1')) await reset(ctx.pi.name)
    await releaseLab()
    for (const d of [data, work, stationData]) d.cleanup()
  }, 900_000)

  // One test per command, in order (each builds on the ones before); the others show as skipped, with why.
  for (const entry of COMMANDS) {
    if ('run' in entry) it(entry.readme, () => entry.run(ctx, entry.readme), entry.readme === PROVISION ? 1_500_000 : 300_000)
    else it.skip(`${entry.readme} (not here: ${entry.notHere})`, () => undefined)
  }
})
