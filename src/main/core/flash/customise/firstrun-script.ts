// firstrun.sh for Bookworm-style images, in the shape Raspberry Pi Imager writes it
// (customization_generator.cpp): POSIX sh, `set +e` so one failed step does not leave the unit
// half set up and unbootable into its normal target, raspberrypi-sys-mods' imager_custom and
// userconf-pi where the image has them and plain Debian tools where not, and at the end the
// script deletes itself and takes its three words out of cmdline.txt so it runs once.
//
// Every value is a quoted word made by the SSH layer's quoting module; file contents (keys,
// keyfiles) are staged as separate files on the boot partition and installed from there, so the
// script's text never carries data that could end a line.
import { cmd } from '../../ssh/remote-command'
import { STAGED } from './boot-file-names'
import type { CheckedSettings } from './boot-settings'
import { hostKeyInstallLines } from './host-key-install'

const SYS_MODS = '/usr/lib/raspberrypi-sys-mods/imager_custom'
const USERCONF = '/usr/lib/userconf-pi/userconf'
// A locked password: a key-only user must not end up with an empty (password-less) one.
const LOCKED = '!'

const q = (...argv: string[]) => cmd(argv).line

function staged(name: string, dest: string, mode: string, owner = 'root'): string[] {
  return [`if [ -f "$BOOT/${name}" ]; then`, `   install -o ${q(owner)} -g ${q(owner)} -m ${mode} "$BOOT/${name}" ${dest}`, `   rm -f "$BOOT/${name}"`, 'fi']
}

export function firstrunScript(s: CheckedSettings, opts: { hostKey: boolean }): string {
  const out: string[] = [
    '#!/bin/sh',
    '# Written by EdgeDock. Runs once at the first boot (systemd.run in cmdline.txt), then removes itself.',
    '',
    'set +e',
    '',
    // The script lies on the boot partition wherever it is mounted (/boot or /boot/firmware).
    'BOOT=$(dirname "$(readlink -f "$0")")',
    ''
  ]
  if (s.hostname) {
    out.push(
      'CURRENT_HOSTNAME=$(tr -d " \\t\\n\\r" </etc/hostname)',
      `if [ -f ${SYS_MODS} ]; then`,
      `   ${q(SYS_MODS, 'set_hostname', s.hostname)}`,
      'else',
      `   ${q('printf', '%s\\n', s.hostname)} >/etc/hostname`,
      // The host name is letters, digits, dots and hyphens (checked), so it is safe inside sed's replacement.
      `   sed -i "s/127.0.1.1.*$CURRENT_HOSTNAME/127.0.1.1\\t${s.hostname}/g" /etc/hosts`,
      'fi',
      ''
    )
  }
  if (opts.hostKey) out.push(...hostKeyInstallLines(), '')
  if (s.user) {
    const name = s.user.name
    const hash = s.user.passwordHash ?? LOCKED
    out.push(
      'FIRSTUSER=$(getent passwd 1000 | cut -d: -f1)',
      `if [ -f ${USERCONF} ]; then`,
      `   ${q(USERCONF, name, hash)}`,
      'else',
      `   ${q('printf', '%s:%s\\n')} "$FIRSTUSER" ${q(hash)} | chpasswd -e`,
      `   if [ "$FIRSTUSER" != ${q(name)} ]; then`,
      `      usermod -l ${q(name)} "$FIRSTUSER"`,
      `      usermod -m -d ${q(`/home/${name}`)} ${q(name)}`,
      `      groupmod -n ${q(name)} "$FIRSTUSER"`,
      '   fi',
      'fi',
      `USERHOME=$(getent passwd ${q(name)} | cut -d: -f6)`
    )
    if (s.authorizedKeys.length > 0) {
      out.push(`install -o ${q(name)} -g ${q(name)} -m 700 -d "$USERHOME/.ssh"`, ...staged(STAGED.authorizedKeys, '"$USERHOME/.ssh/authorized_keys"', '600', name))
      if (!s.user.passwordHash) out.push("echo 'PasswordAuthentication no' >/etc/ssh/sshd_config.d/edgedock.conf")
    }
    out.push('systemctl enable ssh', '')
  }
  if (s.wifi) {
    out.push(...staged(STAGED.wifi, `/etc/NetworkManager/system-connections/${STAGED.wifi}`, '600'))
    out.push('rfkill unblock wifi', 'for f in /var/lib/systemd/rfkill/*:wlan; do', '   [ -e "$f" ] && echo 0 >"$f"', 'done', '')
  }
  if (s.staticIp?.interface === 'eth0') out.push(...staged(STAGED.ethernet, `/etc/NetworkManager/system-connections/${STAGED.ethernet}`, '600'), '')
  if (s.locale) {
    out.push(
      'if command -v raspi-config >/dev/null; then',
      `   ${q('raspi-config', 'nonint', 'do_change_locale', s.locale)}`,
      'else',
      // The locale is [a-zA-Z0-9_.@-] (checked); its dots only widen the match to the same line.
      `   ${q('sed', '-i', `s/^# *\\(${s.locale} \\)/\\1/`, '/etc/locale.gen')}`,
      '   locale-gen',
      `   ${q('update-locale', `LANG=${s.locale}`)}`,
      'fi',
      ''
    )
  }
  if (s.keyboardLayout || s.timezone) {
    out.push(`if [ -f ${SYS_MODS} ]; then`)
    if (s.keyboardLayout) out.push(`   ${q(SYS_MODS, 'set_keymap', s.keyboardLayout)}`)
    if (s.timezone) out.push(`   ${q(SYS_MODS, 'set_timezone', s.timezone)}`)
    out.push('else')
    if (s.timezone) out.push('   rm -f /etc/localtime', `   ${q('printf', '%s\\n', s.timezone)} >/etc/timezone`, '   dpkg-reconfigure -f noninteractive tzdata')
    if (s.keyboardLayout) {
      out.push(
        `   ${q('sed', '-i', `s/^XKBLAYOUT=.*/XKBLAYOUT="${s.keyboardLayout}"/`, '/etc/default/keyboard')}`,
        '   dpkg-reconfigure -f noninteractive keyboard-configuration'
      )
    }
    out.push('fi', '')
  }
  out.push(
    'rm -f "$BOOT/firstrun.sh"',
    // Only the three words this script was started by; anything else on the line stays.
    `sed -i 's| systemd.run=[^ ]*||g; s| systemd.run_success_action=[^ ]*||g; s| systemd.unit=kernel-command-line.target||g' "$BOOT/cmdline.txt"`,
    'exit 0',
    ''
  )
  return out.join('\n')
}
