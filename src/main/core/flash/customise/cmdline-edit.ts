// cmdline.txt is one line the firmware hands to the kernel. The first-boot words are appended the
// way Raspberry Pi Imager writes them; any earlier copy is taken out first, so customising a card
// twice leaves them there once. The Wi-Fi regulatory domain also lives here on Bookworm and newer
// (cfg80211 reads it before any user space runs).
export const FIRSTRUN_WORDS = ['systemd.run=/boot/firstrun.sh', 'systemd.run_success_action=reboot', 'systemd.unit=kernel-command-line.target'] as const

const isFirstrunWord = (w: string) => w.startsWith('systemd.run=') || w.startsWith('systemd.run_success_action=') || w === 'systemd.unit=kernel-command-line.target'

export function editCmdline(text: string, opts: { firstrun: boolean; country: string | null }): string {
  // Only the first line counts for the firmware; a stray second line would be lost anyway.
  const words = (text.split(/\r?\n/)[0] ?? '').split(/\s+/).filter((w) => w !== '')
  let kept = words.filter((w) => !isFirstrunWord(w))
  if (opts.country !== null) kept = [...kept.filter((w) => !w.startsWith('cfg80211.ieee80211_regdom=')), `cfg80211.ieee80211_regdom=${opts.country}`]
  if (opts.firstrun) kept.push(...FIRSTRUN_WORDS)
  return `${kept.join(' ')}\n`
}

export function hasFirstrunWords(text: string): boolean {
  return (text.split(/\r?\n/)[0] ?? '').split(/\s+/).some((w) => w.startsWith('systemd.run='))
}
