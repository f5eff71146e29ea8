// Benchmark: pushing resnet18_fp32.onnx (46.7 MB) to a lab Pi with `edgedock push` against OpenSSH
// `scp` of the same file over the same lab link, in the same run, both from inside the lab's
// namespace. EdgeDock's figure is its upload phase as the job recorded it: one command on the unit
// that stages, takes the file as a stream, checks its sha256, hands it to root, fsyncs and renames
// (verification included). Also printed: connect-to-verified (the job's start to the end of that
// phase: connect, look at the unit, upload), which is what a whole `scp` process is closest to, and
// the whole push (with the service loading the model). scp is printed plain and followed by a
// `sha256sum` on the unit. Ratio = EdgeDock throughput / scp throughput (goal >= 1.00).
// Run: `npm run bench -- deploy` (root and the lab; a full Pi on --net ns).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { createApp } from '../../src/main/app/create-app'
import { prepareDataDir, PW_ENV } from '../integration/deploy/deploy-lab'
import * as lab from '../lab'
import { labSkipReason } from '../lab/vitest'
import { labCommands } from './_lab-commands'

// The model is too large for the repository: by default it is read from the models folder the team
// keeps next to the checkout; pass a path to use another. Without it the benchmark skips.
const file = path.resolve(process.argv[2] ?? '../shared/models/resnet18_fp32.onnx')
const rounds = Number(process.env.ROUNDS ?? 3)
const skip = !existsSync(file) ? `${file} is not there (it lives in the team's shared/models folder)` : labSkipReason({ full: 1, net: 'ns' })
if (skip) {
  console.log(`deploy-push-lab: skipped (${skip})`)
  process.exit(0)
}

const size = statSync(file).size
const edgedock = path.resolve(import.meta.dirname, '../../bin/edgedock.js')
const wasUp = lab.inventory().some((u) => u.kind === 'full')
await lab.up({ count: 1, net: 'ns', quiet: true })
const pi = lab.inventory().find((u) => u.kind === 'full') as lab.InventoryEntry
const { target, inLab, onPi, withPassword } = labCommands(pi)
const dataDir = mkdtempSync(path.join(tmpdir(), 'edgedock-bench-push-'))
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
const mbps = (ms: number) => size / 1e6 / (ms / 1000)


try {
  await prepareDataDir(dataDir)
  const cli = (args: string[]) => inLab([process.execPath, edgedock, '--data-dir', dataDir, ...args], { [PW_ENV]: pi.password })
  spawnSync(process.execPath, [edgedock, '--data-dir', dataDir, 'models', 'import', file, '--name', 'resnet18', '--version', 'bench'], { encoding: 'utf8' })
  // The first push installs the runtime if the Pi has none: not part of the measurement.
  cli(['push', target, 'resnet18@bench', '--version', 'warmup', '--password-env', PW_ENV])

  const upload: number[] = []
  const toVerified: number[] = []
  const whole: number[] = []
  const scp: number[] = []
  const scpVerified: number[] = []
  const app = createApp({ dataDir })
  for (let i = 0; i < rounds; i++) {
    // The unit must not hold the file under any version, or the push makes the new one from it and
    // sends nothing: what is measured here is the whole file over the link.
    onPi(['sudo', 'sh', '-c', 'rm -rf /opt/edgedock/models/*'])
    const r = cli(['--json', 'push', target, 'resnet18@bench', '--version', `b${Date.now()}`, '--password-env', PW_ENV])
    const jobId = (JSON.parse(r.stdout) as { job: { id: string } }).job.id
    const detail = app.services.store.jobs.detail(jobId)
    const step = detail?.steps.find((s) => s.name.startsWith('Upload '))
    if (!step?.finishedAt || !detail) throw new Error('the push recorded no upload step')
    upload.push(step.finishedAt - step.startedAt)
    toVerified.push(step.finishedAt - Math.min(...detail.steps.map((s) => s.startedAt)))
    whole.push(r.ms)

    const s = inLab([...withPassword('scp'), '-q', file, `${target}:/tmp/bench-scp.onnx`])
    scp.push(s.ms)
    scpVerified.push(s.ms + onPi(['sha256sum', '/tmp/bench-scp.onnx']).ms)
    onPi(['rm', '-f', '/tmp/bench-scp.onnx'])
    // Per round, with this machine's load: the Pi is emulated, so a busy host moves both figures.
    const ratio = (s.ms / (upload.at(-1) as number)).toFixed(2)
    console.log(`  round ${i + 1}: scp ${(s.ms / 1000).toFixed(2)} s, edgedock upload phase ${((upload.at(-1) as number) / 1000).toFixed(2)} s, ratio ${ratio}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
  }
  app.close()
  const ours = median(upload)
  console.log(`deploy-push-lab: ${path.basename(file)} (${(size / 1e6).toFixed(1)} MB) to ${pi.name} (${lab.detectAccel()}), ${rounds} rounds, medians`)
  console.log(`  reference: scp                      ${(median(scp) / 1000).toFixed(1)} s  ${mbps(median(scp)).toFixed(2)} MB/s`)
  console.log(`  reference: scp + sha256sum on unit  ${(median(scpVerified) / 1000).toFixed(1)} s  ${mbps(median(scpVerified)).toFixed(2)} MB/s`)
  console.log(`  edgedock push, upload phase (stream + sha256 on unit + fsync + rename)  ${(ours / 1000).toFixed(1)} s  ${mbps(ours).toFixed(2)} MB/s`)
  console.log(`  edgedock push, connect to verified in place (connect, look, upload phase)  ${(median(toVerified) / 1000).toFixed(1)} s  ${mbps(median(toVerified)).toFixed(2)} MB/s`)
  console.log(`  edgedock push, whole command (connect, upload, switch, model load, health, prune)  ${(median(whole) / 1000).toFixed(1)} s`)
  console.log(`  ratio edgedock/scp throughput ${(median(scp) / ours).toFixed(2)} (verification included on our side; goal >= 1.00)`)
  console.log(`  ratio edgedock/(scp + sha256sum) ${(median(scpVerified) / ours).toFixed(2)}`)
  console.log(`  ratio edgedock connect-to-verified / whole scp process ${(median(scp) / median(toVerified)).toFixed(2)}`)
} finally {
  rmSync(dataDir, { recursive: true, force: true })
  if (!wasUp) await lab.down({ quiet: true })
}
