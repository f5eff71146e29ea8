// Benchmark: a new version of ResNet18 (46.7 MB, the head re-initialised) reaching a lab Pi that
// serves the old one, over a link shaped to 8 Mbit/s both ways: `edgedock push` (delta, applied and
// checked on the unit, switched, /health) against `rsync` of the same file onto the old one on the
// unit (plain and -z, followed by sha256sum there), in the same run, from inside the lab's namespace.
// Like for like: EdgeDock's "send only what changed" phase (make the delta, send it, apply it on the
// unit, sha256 check, fsync, rename, and the `current` switch that is part of the same command: the
// new file verified in place) against rsync's process plus sha256sum on the unit. End to end, like for like: the whole `edgedock push` (until /health says it
// serves the new version) against what a script does to get there with rsync: rsync -z into a new
// version directory with the served file as its basis, then sha256sum, rename, switch `current` and
// curl /health on the unit until the agent serves it. Goal: both ratios under 1.
// TIMELINE=1 prints every step of the push with its start and duration.
// Run: `npm run bench -- model-delta-lab` (root and the lab; a full Pi on --net ns). RATE=2mbit to try another link.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createApp } from '../../src/main/app/create-app'
import { prepareDataDir, PW_ENV } from '../integration/deploy/deploy-lab'
import * as lab from '../lab'
import { labSkipReason } from '../lab/vitest'
import { labCommands } from './_lab-commands'
import { headChanged } from './_model-variants'

const file = path.resolve(process.argv[2] ?? '../shared/models/resnet18_fp32.onnx')
const rate = process.env.RATE ?? '8mbit'
const hasRsync = spawnSync('sh', ['-c', 'command -v rsync']).status === 0
const skip = !existsSync(file)
  ? `${file} is not there (it lives in the team's shared/models folder)`
  : !hasRsync
    ? 'rsync, the reference, is not installed here (apt install rsync)'
    : labSkipReason({ full: 1, net: 'ns' })
if (skip) {
  console.log(`model-delta-lab: skipped (${skip})`)
  process.exit(0)
}

const edgedock = path.resolve(import.meta.dirname, '../../bin/edgedock.js')
const dir = mkdtempSync(path.join(tmpdir(), 'edgedock-bench-delta-lab-'))
const dataDir = path.join(dir, 'data')
const next = path.join(dir, 'resnet18-head.onnx')
writeFileSync(next, headChanged(readFileSync(file)))
const wasUp = lab.inventory().some((u) => u.kind === 'full')
await lab.up({ count: 1, net: 'ns', quiet: true })
const pi = lab.inventory().find((u) => u.kind === 'full') as lab.InventoryEntry
const { target, inLab, onPi, withPassword } = labCommands(pi)
const cli = (args: string[]) => inLab([process.execPath, edgedock, '--data-dir', dataDir, ...args], { [PW_ENV]: pi.password })

try {
  mkdirSync(dataDir)
  await prepareDataDir(dataDir)
  for (const [f, v] of [[file, '1'], [next, '2']] as const) spawnSync(process.execPath, [edgedock, '--data-dir', dataDir, 'models', 'import', f, '--name', 'resnet18', '--version', v], { encoding: 'utf8' })
  // Unshaped: this EdgeDock's runtime (a kept unit may have an older agent), and the old version, on
  // the unit and as rsync's base.
  cli(['runtime', 'install', target, '--password-env', PW_ENV])
  // A unit kept from an earlier run may hold either file under some version (it would be reused, not
  // sent): start from no models at all, with version names of this run.
  onPi(['sudo', 'sh', '-c', 'rm -rf /opt/edgedock/models/*'])
  const run = Date.now().toString(36)
  cli(['push', target, 'resnet18@1', '--version', `base-${run}`, '--password-env', PW_ENV])
  onPi(['mkdir', '-p', '/tmp/rsync-bench'])
  inLab([...withPassword('scp'), file, `${target}:/tmp/rsync-bench/model.onnx`])

  await lab.shape(pi.name, { rate })
  const pushed = cli(['--json', 'push', target, 'resnet18@2', '--version', `next-${run}`, '--password-env', PW_ENV])
  const push = { s: pushed.ms / 1000, stdout: pushed.stdout }
  const unit = (JSON.parse(push.stdout) as { result: { units: { method: string; bytesSent: number; servingVersion: string }[] } }).result.units[0]
  if (unit?.servingVersion !== `next-${run}` || unit.method !== 'delta') throw new Error(`the push did not end serving a delta-made next-${run}: ${push.stdout.slice(0, 400)}`)

  // Where the push's time goes, from the job's own steps.
  const jobId = (JSON.parse(push.stdout) as { job: { id: string } }).job.id
  const app = createApp({ dataDir })
  const detail = app.services.store.jobs.detail(jobId)
  app.close()
  const steps = (detail?.steps ?? []).filter((st) => st.finishedAt !== null)
  const t0 = detail?.createdAt ?? steps[0]?.startedAt ?? 0
  const timed = steps.map((st) => ({ name: st.name, s: ((st.finishedAt as number) - st.startedAt) / 1000 }))
  const phase = timed.find((st) => st.name.startsWith('Send only what changed'))?.s
  if (phase === undefined) throw new Error(`the push has no delta phase: ${timed.map((st) => st.name).join(', ')}`)
  const slowest = timed
    .sort((a, b) => b.s - a.s)
    .slice(0, 5)
    .map((st) => `${st.name} ${st.s.toFixed(1)} s`)
    .join('; ')

  const rsync = (compress: boolean) => {
    onPi(['cp', '-f', '/tmp/rsync-bench/model.onnx', '/tmp/rsync-bench/work.onnx'])
    const r = inLab(['rsync', '--no-whole-file', '--ignore-times', '--stats', ...(compress ? ['-z'] : []), '-e', withPassword('ssh').join(' '), next, `${target}:/tmp/rsync-bench/work.onnx`])
    const check = onPi(['sha256sum', '/tmp/rsync-bench/work.onnx'])
    const sent = Number((/Total bytes sent: ([\d,.]+)/.exec(r.stdout)?.[1] ?? '0').replace(/[,.]/g, ''))
    return { s: (r.ms + check.ms) / 1000, sent }
  }
  const plain = rsync(false)
  const z = rsync(true)
  const served = serveWithRsync(false)
  const servedStamped = serveWithRsync(true)
  /** The way a script gets the same end state: rsync -z into a new version directory (the served
   *  version's file as rsync's basis), then in one SSH command sha256sum, the same rename and
   *  `current` switch, and curl /health on the unit until the agent serves it. A script does not
   *  know the agent's `verified` stamp, so the agent hashes the file again as it loads it; `stamp`
   *  writes it too, to show what is left of the difference without that. */
  function serveWithRsync(stamp: boolean) {
    const version = `rsync${stamp ? '-stamped' : ''}-${run}`
    const local = path.join(dir, `${version}-src`)
    mkdirSync(local)
    writeFileSync(path.join(local, 'model.onnx'), readFileSync(next))
    const sha = createHash('sha256').update(readFileSync(next)).digest('hex')
    writeFileSync(path.join(local, 'meta.json'), `${JSON.stringify({ name: 'resnet18', version, sha256: sha })}\n`)
    const models = '/opt/edgedock/models'
    const stage = `${models}/.${version}`
    const t = performance.now()
    const r = inLab(['rsync', '-rz', '--stats', '--no-whole-file', `--copy-dest=${models}/base-${run}`, '--rsync-path=sudo rsync', '-e', withPassword('ssh').join(' '), `${local}/`, `${target}:${stage}/`])
    const script = [
      `cd ${stage} && echo '${sha}  model.onnx' | sha256sum --quiet --strict -c -${stamp ? ' && touch verified' : ''} && sync`,
      `mv -T ${stage} ${models}/${version} && ln -sfn ${version} ${models}/.current-rsync && mv -T ${models}/.current-rsync ${models}/current`,
      `until curl -sf localhost:8080/health | grep -q '"currentTarget":"${version}"' && curl -sf localhost:8080/health | grep -q '"version":"${version}"'; do sleep 0.2; done`
    ].join(' && ')
    onPi(['sudo', 'timeout', '120', 'sh', '-c', script])
    const sent = Number((/Total bytes sent: ([\d,.]+)/.exec(r.stdout)?.[1] ?? '0').replace(/[,.]/g, ''))
    return { s: (performance.now() - t) / 1000, sent }
  }
  const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`
  console.log(`model-delta-lab: ${path.basename(file)} (${mb(statSync(file).size)}) head-only change to ${pi.name} over ${rate}`)
  console.log(`  edgedock push, delta phase (${mb(unit.bytesSent)} sent; make, send, apply, sha256, fsync, rename, switch)  ${phase.toFixed(1)} s`)
  console.log(`  edgedock push, whole command (also switch, model load, /health, prune)  ${push.s.toFixed(1)} s; slowest steps: ${slowest}`)
  if (process.env.TIMELINE === '1') {
    for (const st of steps) console.log(`    step +${((st.startedAt - t0) / 1000).toFixed(1)} s  ${(((st.finishedAt as number) - st.startedAt) / 1000).toFixed(1)} s  ${st.name}`)
    for (const l of detail?.log ?? []) console.log(`    log  +${((l.ts - t0) / 1000).toFixed(1)} s  ${l.text.split('\n')[0]?.slice(0, 140)}`)
  }
  console.log(`  reference: rsync + sha256sum on the unit     ${mb(plain.sent)} sent  ${plain.s.toFixed(1)} s`)
  console.log(`  reference: rsync -z + sha256sum on the unit  ${mb(z.sent)} sent  ${z.s.toFixed(1)} s`)
  console.log(`  ratio edgedock delta phase / rsync ${(phase / plain.s).toFixed(2)}, / rsync -z ${(phase / z.s).toFixed(2)} (goal < 1.00)`)
  console.log(`  reference: rsync -z into a new version, sha256sum, switch, curl /health until served  ${mb(served.sent)} sent  ${served.s.toFixed(1)} s`)
  console.log(`  reference: the same, writing the agent's verified stamp (no second hash at load)  ${mb(servedStamped.sent)} sent  ${servedStamped.s.toFixed(1)} s`)
  console.log(`  ratio edgedock whole command / rsync ${(push.s / plain.s).toFixed(2)}; / rsync -z then switch and serve ${(push.s / served.s).toFixed(2)} (goal < 1.00); / the same with the stamp ${(push.s / servedStamped.s).toFixed(2)}`)
} finally {
  await lab.shape(pi.name, undefined).catch(() => undefined)
  onPi(['rm', '-rf', '/tmp/rsync-bench'])
  rmSync(dir, { recursive: true, force: true })
  if (!wasUp) await lab.down({ quiet: true })
}
