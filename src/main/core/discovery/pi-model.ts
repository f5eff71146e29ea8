// Recognises Raspberry Pi boards from the model string the firmware (device tree) or the lab's
// DMI tables report, e.g. "Raspberry Pi 4 Model B Rev 1.4", "Raspberry Pi 5 Model B Rev 1.0".

export type PiFamily = 'Pi 1' | 'Pi 2' | 'Pi 3' | 'Pi 4' | 'Pi 5' | 'Pi 400' | 'Pi 500' | 'Zero' | 'Zero 2' | 'CM3' | 'CM4' | 'CM5' | 'other'

export function isRaspberryPiModel(model: string | null | undefined): boolean {
  return typeof model === 'string' && /^raspberry pi\b/i.test(model.trim())
}

export function piFamily(model: string | null | undefined): PiFamily | null {
  if (!isRaspberryPiModel(model)) return null
  const m = model!.replace(/^raspberry pi\s*/i, '')
  const table: Array<[RegExp, PiFamily]> = [
    [/^compute module 5/i, 'CM5'],
    [/^compute module 4/i, 'CM4'],
    [/^compute module 3/i, 'CM3'],
    [/^zero 2/i, 'Zero 2'],
    [/^zero/i, 'Zero'],
    [/^500\b/, 'Pi 500'],
    [/^400\b/, 'Pi 400'],
    [/^5\b/, 'Pi 5'],
    [/^4\b/, 'Pi 4'],
    [/^3\b/, 'Pi 3'],
    [/^2\b/, 'Pi 2'],
    [/^(model [ab]|1\b)/i, 'Pi 1']
  ]
  for (const [re, family] of table) if (re.test(m)) return family
  return 'other'
}
