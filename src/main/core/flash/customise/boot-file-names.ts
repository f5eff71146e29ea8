// Names of the files EdgeDock puts on the boot partition. The first-boot step moves each one into
// the root file system and deletes it from the FAT, which anyone holding the card can read.
export const STAGED = {
  hostKey: 'edgedock-ssh-host-ed25519-key',
  hostKeyPub: 'edgedock-ssh-host-ed25519-key.pub',
  authorizedKeys: 'edgedock-authorized-keys',
  wifi: 'edgedock-wifi.nmconnection',
  ethernet: 'edgedock-eth0.nmconnection'
} as const

export const FIRSTRUN = 'firstrun.sh'
export const CMDLINE = 'cmdline.txt'
export const CLOUD_INIT_FILES = ['user-data', 'network-config', 'meta-data'] as const
