// A stand-in for the runtime installer on lab Pis: a real systemd unit answering /health on 8080
// (python3's http.server), so handlers, reboot and the health check run for real. The runtime
// module's own installer replaces it once wired.
import type { RemoteShell, RuntimeInstaller } from '../../../src/main/core/provision'

const UNIT = `[Unit]
Description=EdgeDock inference service (lab stand-in)
After=network.target

[Service]
ExecStart=/usr/bin/python3 -m http.server 8080 --bind 127.0.0.1 --directory /opt/edgedock/www

[Install]
WantedBy=multi-user.target
`

async function must(shell: RemoteShell, argv: string[], opts: { sudo?: boolean; stdin?: string } = {}) {
  const r = await shell.run(argv, opts)
  if (r.code !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr.trim()}`)
}

export function labRuntimeInstaller(version = 'lab-1'): RuntimeInstaller {
  return {
    wanted: () => version,
    async installed(shell) {
      const r = await shell.run(['cat', '--', '/opt/edgedock/runtime-version'])
      return r.code === 0 ? r.stdout.trim() : null
    },
    async install(shell) {
      await must(shell, ['mkdir', '-p', '/opt/edgedock/www'], { sudo: true })
      await must(shell, ['install', '-m', '644', '/dev/stdin', '/opt/edgedock/www/health'], { sudo: true, stdin: 'ok\n' })
      await must(shell, ['install', '-m', '644', '/dev/stdin', '/etc/systemd/system/edgedock-inference.service'], { sudo: true, stdin: UNIT })
      await must(shell, ['systemctl', 'daemon-reload'], { sudo: true })
      await must(shell, ['systemctl', 'enable', 'edgedock-inference'], { sudo: true })
      await must(shell, ['install', '-m', '644', '/dev/stdin', '/opt/edgedock/runtime-version'], { sudo: true, stdin: `${version}\n` })
    }
  }
}
