// Shell lines (fixed text, no data in them) that install the host key staged on the boot
// partition, for both first-boot mechanisms; $BOOT is the boot partition's mount point.
//
// Raspberry Pi OS ships without host keys and makes them with regenerate_ssh_host_keys.service
// (raspberrypi-sys-mods), which deletes every /etc/ssh/ssh_host_* key and runs `ssh-keygen -A`.
// Under firstrun.sh the first boot stops at kernel-command-line.target, so that service would run
// on the next boot and throw away the pinned key: it is masked before the key is installed. The
// other key types are then made by `ssh-keygen -A`, which keeps a key that exists.
import { STAGED } from './boot-file-names'

export function hostKeyInstallLines(): string[] {
  const key = `"$BOOT/${STAGED.hostKey}"`
  const pub = `"$BOOT/${STAGED.hostKeyPub}"`
  return [
    `if [ -f ${key} ] && [ -f ${pub} ]; then`,
    '   systemctl mask regenerate_ssh_host_keys.service || ln -sf /dev/null /etc/systemd/system/regenerate_ssh_host_keys.service',
    '   rm -f /etc/ssh/ssh_host_*_key /etc/ssh/ssh_host_*_key.pub',
    `   install -o root -g root -m 600 ${key} /etc/ssh/ssh_host_ed25519_key`,
    `   install -o root -g root -m 644 ${pub} /etc/ssh/ssh_host_ed25519_key.pub`,
    '   ssh-keygen -A',
    `   rm -f ${key} ${pub}`,
    'fi'
  ]
}
