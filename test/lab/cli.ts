// `npm run lab -- <command>`: the Pi lab's command line. See docs/lab.md.
import { Command, Option } from 'commander'
import type { Arch, NetMode } from './config'
import { readTimings } from './full'
import { buildImage, imageInfo } from './image'
import * as lab from './lab'
import { measureBoot } from './measure'
import { secs } from './util'

const program = new Command()
program.name('lab').description('EdgeDock Pi lab: virtual Raspberry Pis that are real Linux machines').showHelpAfterError()

const archOpt = () => new Option('--arch <arch>', 'guest architecture').choices(['amd64', 'arm64']).default('amd64')

program.command('build').description('build (or reuse) the cached Pi image').addOption(archOpt())
  .option('--force', 'rebuild even if cached')
  .action(async (o: { arch: Arch; force?: boolean }) => {
    const r = await buildImage(o.arch, { force: o.force })
    const info = imageInfo(o.arch)
    console.log(r.built ? `built ${info.base} in ${secs(r.ms)}` : `cached: ${info.base} (recipe ${info.hash})`)
  })

program.command('up').argument('<n>', 'how many Pis of this kind the lab should have').description('start virtual Pis; returns when SSH answers')
  .option('--light', 'light Pis (namespaces with sshd + mDNS, no systemd) for scale')
  .addOption(new Option('--net <mode>', 'ns: private LAN in a namespace; user: SSH on 127.0.0.1 ports').choices(['ns', 'user']))
  .addOption(archOpt())
  .addOption(new Option('--boot <mode>', 'full Pis: restore a booted snapshot or boot cold').choices(['auto', 'snapshot', 'cold']).default('auto'))
  .action(async (n: string, o: { light?: boolean; net?: NetMode; arch: Arch; boot: 'auto' | 'snapshot' | 'cold' }) => {
    const count = Number(n)
    if (!Number.isInteger(count) || count < 1) throw new Error('N must be a positive integer')
    const r = await lab.up({ count, light: o.light, net: o.net, arch: o.arch, boot: o.boot })
    console.log(`up: ${r.started.length ? r.started.join(', ') : 'nothing new'} in ${secs(r.ms)}${r.bootMode ? ` (${r.bootMode})` : ''}`)
    if (r.coldMs || r.restoreMs) {
      console.log(`boot on this machine: cold ${r.coldMs ? secs(r.coldMs) : 'n/a'}, snapshot restore ${r.restoreMs ? secs(r.restoreMs) : 'n/a'}`)
    }
    printTable()
  })

program.command('down').description('stop every Pi and remove everything the lab made').action(async () => {
  await lab.down()
})

program.command('list').description('inventory of the lab').option('--json', 'JSON array').action((o: { json?: boolean }) => {
  const inv = lab.inventory()
  if (o.json) console.log(JSON.stringify(inv, null, 2))
  else printTable()
})

program.command('exec').description('run a command inside the lab namespace: lab exec -- CMD ARGS').argument('<cmd...>')
  .action(async (cmd: string[]) => {
    process.exitCode = await lab.execInLab(cmd)
  })

program.command('ssh').description('run a command on a Pi over SSH (pi/raspberry)').argument('<name>').argument('[cmd...]')
  .action(async (name: string, cmd: string[]) => {
    const r = await lab.sshExec(name, cmd.length ? cmd : ['uname', '-a'])
    process.stdout.write(r.stdout)
    process.stderr.write(r.stderr)
    process.exitCode = r.code
  })

program.command('power-cut').argument('<name>').description('kill the Pi (a power cut)').action(async (name: string) => {
  await lab.powerCut(name)
  console.log(`${name}: power cut`)
})
program.command('power-on').argument('<name>').description('boot the Pi again; returns when SSH answers').action(async (name: string) => {
  const ms = await lab.powerOn(name)
  console.log(`${name}: answers SSH after ${secs(ms)}`)
})
program.command('link').argument('<name>').argument('<state>', 'up or down').description('plug/unplug the network cable')
  .action(async (name: string, state: string) => {
    if (state !== 'up' && state !== 'down') throw new Error('link state is up or down')
    await lab.link(name, state)
    console.log(`${name}: link ${state}`)
  })
program.command('shape').argument('<name>').description('slow the link (tc netem, both directions); no options clears')
  .option('--rate <rate>', 'e.g. 20mbit').option('--delay <delay>', 'e.g. 30ms').option('--loss <loss>', 'e.g. 1%')
  .action(async (name: string, o: { rate?: string; delay?: string; loss?: string }) => {
    await lab.shape(name, o)
    console.log(`${name}: ${o.rate || o.delay || o.loss ? `shaped ${JSON.stringify(o)}` : 'shaping cleared'}`)
  })
program.command('reset').argument('<name>').description('back to a freshly imaged Pi (new host keys)').action(async (name: string) => {
  const ms = await lab.reset(name)
  console.log(`${name}: fresh Pi answering SSH after ${secs(ms)}`)
})
program.command('set-ip').argument('<name>').argument('[ip]', 'new address in 10.77.0.0/24 (default: a free one)')
  .description("change a Pi's address (a new DHCP lease for a full Pi)").action(async (name: string, ip?: string) => {
    const got = await lab.setIp(name, ip)
    console.log(`${name}: now at ${got}`)
  })

program.command('measure').description('measure a cold boot against a snapshot restore on this machine (one extra Pi each)')
  .action(async () => {
    const r = await measureBoot()
    console.log(`cold boot to SSH: ${secs(r.coldMs)}; snapshot restore to SSH: ${secs(r.restoreMs)}; winner: ${r.restoreMs < r.coldMs ? 'snapshot' : 'cold'}`)
    console.log(`QEMU RSS per Pi: cold ${r.coldRssMiB} MiB, restored ${r.restoreRssMiB} MiB`)
  })

program.command('timings').description('last measured boot figures for the cached image').addOption(archOpt()).action((o: { arch: Arch }) => {
  console.log(JSON.stringify(readTimings(imageInfo(o.arch))))
})

function printTable(): void {
  const inv = lab.inventory()
  if (!inv.length) {
    console.log('(no Pis)')
    return
  }
  for (const u of inv) {
    console.log(`${u.name.padEnd(9)} ${u.kind.padEnd(5)} ${`${u.ip}:${u.port}`.padEnd(18)} ${u.mac}  ${u.powered ? 'on ' : 'off'} link ${u.link.padEnd(4)} ${u.netns ? `netns ${u.netns}` : 'host loopback'}${u.console ? `  console ${u.console}` : ''}`)
  }
}

program.parseAsync(process.argv).catch((e: unknown) => {
  console.error(`lab: ${e instanceof Error ? e.message : String(e)}`)
  process.exitCode = 1
})
