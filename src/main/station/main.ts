// `npm run station -- [--port P] [--host H] [--data-dir D]`: prints exactly one line, the URL.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Command } from 'commander'
import { createApp } from '../app/create-app'
import { defaultDataDir } from '../app/data-dir'
import { startStation } from './station-server'

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

export async function main(argv: string[]): Promise<void> {
  const opts = new Command('station')
    .description('Serve the EdgeDock UI and API to a browser (headless bench box)')
    .option('--port <port>', 'TCP port (0 picks a free one)', '0')
    .option('--host <host>', 'address to listen on; anything but 127.0.0.1 exposes the station to your network', '127.0.0.1')
    .option('--data-dir <dir>', 'where EdgeDock keeps its history', defaultDataDir())
    .option('--renderer-dir <dir>', 'built UI to serve', path.join(projectRoot, 'out', 'renderer'))
    .parse(argv, { from: 'user' })
    .opts<{ port: string; host: string; dataDir: string; rendererDir: string }>()

  if (!existsSync(path.join(opts.rendererDir, 'index.html'))) {
    process.stderr.write(`The UI is not built in ${opts.rendererDir}: run "npm run build" first.\n`)
    process.exit(1)
  }
  const app = createApp({ dataDir: opts.dataDir, watchExternal: true, watchUsb: true })
  const station = await startStation({ app, rendererDir: opts.rendererDir, host: opts.host, port: Number(opts.port) })
  process.stdout.write(`EdgeDock station: ${station.url}\n`)
  const stop = async () => {
    await station.close()
    app.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}
