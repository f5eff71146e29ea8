// `npm run station -- [--port P] [--host H] [--data-dir D]`: prints exactly one line, the URL.
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs'
import { isIP } from 'node:net'
import path from 'node:path'
import { Command } from 'commander'
import { createApp } from '../app/create-app'
import { defaultDataDir } from '../app/data-dir'
import { projectRoot } from '../app/project-root'
import { startStation } from './station-server'


export async function main(argv: string[]): Promise<void> {
  const opts = new Command('station')
    .description('Serve the EdgeDock UI and API to a browser (headless bench box)')
    .option('--port <port>', 'TCP port (0 picks a free one)', '0')
    .option('--host <host>', 'address to listen on; anything but 127.0.0.1 exposes the station to your network', '127.0.0.1')
    .option('--data-dir <dir>', 'where EdgeDock keeps its history', defaultDataDir())
    .option('--renderer-dir <dir>', 'built UI to serve', path.join(projectRoot(), 'out', 'renderer'))
    .parse(argv, { from: 'user' })
    .opts<{ port: string; host: string; dataDir: string; rendererDir: string }>()

  const problem = checkOptions(opts)
  if (problem) fail(problem)
  if (!existsSync(path.join(opts.rendererDir, 'index.html'))) {
    fail(`The UI is not built in ${opts.rendererDir}: run "npm run build" first.`)
  }
  const port = Number(opts.port)
  let app: ReturnType<typeof createApp>
  try {
    app = createApp({ dataDir: opts.dataDir, frontEnd: 'station', watchExternal: true, watchUsb: true })
  } catch (err) {
    fail(`Cannot use the data folder ${opts.dataDir}: ${(err as Error).message.split('\n')[0]} Pass another --data-dir.`)
  }
  let station: Awaited<ReturnType<typeof startStation>>
  try {
    station = await startStation({ app, rendererDir: opts.rendererDir, host: opts.host, port })
  } catch (err) {
    app.close()
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') fail(`Port ${port} is in use on ${opts.host}: stop the other program or pass --port.`)
    if (code === 'EADDRNOTAVAIL') fail(`${opts.host} is not an address of this machine: pass --host 127.0.0.1 or one of its own IPs.`)
    if (code === 'EACCES') fail(`Port ${port} needs more privileges on ${opts.host}: pass --port above 1023.`)
    fail(`The station could not start on ${opts.host}:${port} (${code ?? (err as Error).message}).`)
  }
  process.stdout.write(`EdgeDock station: ${station.url}\n`)
  const stop = async () => {
    await station.close()
    app.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

function fail(sentence: string): never {
  process.stderr.write(`${sentence}\n`)
  process.exit(1)
}

// Checked before anything touches the network or the disk, so a typo never starts half a station.
function checkOptions(opts: { port: string; host: string; dataDir: string }): string | null {
  const port = Number(opts.port)
  if (!/^\d+$/.test(opts.port) || !Number.isInteger(port) || port > 65535) {
    return `--port ${opts.port} is not a port: pass a number from 1 to 65535 (0 picks a free one).`
  }
  // A name would mean a DNS lookup deciding where the station listens; only literals are taken.
  if (opts.host !== 'localhost' && isIP(opts.host) === 0) {
    return `--host ${opts.host} is not an IP address: pass one such as 127.0.0.1, or localhost.`
  }
  try {
    if (existsSync(opts.dataDir) && !statSync(opts.dataDir).isDirectory()) {
      return `--data-dir ${opts.dataDir} is a file, not a folder: pass a folder.`
    }
    mkdirSync(opts.dataDir, { recursive: true })
    accessSync(opts.dataDir, constants.W_OK)
  } catch {
    return `--data-dir ${opts.dataDir} cannot be written: pass a folder you can write to.`
  }
  return null
}
