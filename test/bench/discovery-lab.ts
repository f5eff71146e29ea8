// Benchmark: discovery of the lab /24 against `nmap -p22 --open -n` over the same subnet, in the same
// run, both inside the lab's namespace (never this machine's own networks). Whole processes are timed
// (node start-up included for EdgeDock), median of ROUNDS; the ratio EdgeDock/nmap is what to watch.
// Two lab sizes: FULL_PIS full Pis (real Debian VMs, 4 by default) alone first, then with LIGHT_PIS light
// Pis added. Needs root and the lab: `npm run bench -- discovery`. Leaves the lab as it found it.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import * as lab from '../lab'
import { labSkipReason } from '../lab/vitest'

const rounds = Number(process.env.ROUNDS ?? 5)
const units = Number(process.env.LIGHT_PIS ?? 40)
const fullUnits = Number(process.env.FULL_PIS ?? 4)
const skip =
  labSkipReason({ light: units, full: fullUnits, net: 'ns' }) ?? (spawnSync('nmap', ['--version']).status === 0 ? undefined : 'nmap is not installed')
if (skip) {
  console.log(`discovery-lab: skipped (${skip})`)
  process.exit(0)
}

const wasUp = lab.inventory().length > 0
const subnet = `${lab.GATEWAY.replace(/\.1$/, '.0')}/24`
const edgedock = path.resolve(import.meta.dirname, '../../bin/edgedock.js')
const dataDir = spawnSync('mktemp', ['-d']).stdout.toString().trim()

function time(argv: string[]): { ms: number; stdout: string } {
  const t = performance.now()
  const r = spawnSync(argv[0] as string, argv.slice(1), { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`)
  return { ms: performance.now() - t, stdout: r.stdout }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0

/** Both tools over the same /24 in alternation, whole processes, on whatever the lab has up now. */
function compare(what: string): void {
  const nmap: number[] = []
  const ours: number[] = []
  let nmapHosts = 0
  let ourPis = 0
  for (let i = 0; i < rounds; i++) {
    const n = time(lab.inLabArgv(['nmap', '-p22', '--open', '-n', subnet]))
    nmap.push(n.ms)
    nmapHosts = (n.stdout.match(/22\/tcp open/g) ?? []).length
    const e = time(lab.inLabArgv([process.execPath, edgedock, '--data-dir', dataDir, '--json', 'discover', '--subnet', subnet, '--no-mdns']))
    ours.push(e.ms)
    ourPis = (JSON.parse(e.stdout) as { isRaspberryPi: boolean }[]).filter((d) => d.isRaspberryPi).length
  }
  console.log(`discovery-lab: ${subnet} with ${what}, ${rounds} rounds, whole processes`)
  console.log(`  reference: nmap -p22 --open -n   median ${median(nmap).toFixed(0)} ms (min ${Math.min(...nmap).toFixed(0)}), ${nmapHosts} hosts with 22 open`)
  console.log(`  edgedock discover --no-mdns     median ${median(ours).toFixed(0)} ms (min ${Math.min(...ours).toFixed(0)}), ${ourPis} Raspberry Pis`)
  console.log(`  ratio edgedock/nmap ${(median(ours) / median(nmap)).toFixed(2)} (goal <= 1.00 and under 2 s)`)
}

try {
  // Full Pis first and alone: real guests (their own kernels, DHCP leases, sshd) with nothing else on the LAN.
  if (fullUnits > 0) {
    await lab.up({ count: fullUnits, net: 'ns', quiet: true })
    const full = lab.inventory().filter((u) => u.kind === 'full').length
    const light = lab.inventory().filter((u) => u.kind === 'light').length
    compare(`${full} full Pis${light ? ` (+ ${light} light Pis already up)` : ''}`)
  }
  await lab.up({ count: units, light: true, quiet: true })
  compare(`${units} light Pis${fullUnits > 0 ? ` + ${fullUnits} full Pis` : ' (+ full Pis if up)'}`)
} finally {
  if (!wasUp) await lab.down({ quiet: true })
}
