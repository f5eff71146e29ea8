// Handlers: service restarts that steps ask for, run once per unit after the steps (so three
// changes to sshd reload it once), and also when a later step fails: the changes that asked for
// them are already on the unit, and a re-run would see nothing to change and never notify again.
import type { HandlerName } from './step-kind'

export const HANDLERS: Record<HandlerName, { title: string; argv: string[] }> = {
  'reload-ssh': { title: 'Reload the SSH server', argv: ['systemctl', 'reload', 'ssh'] },
  'restart-inference': { title: 'Restart the inference service', argv: ['systemctl', 'restart', 'edgedock-inference'] }
}
