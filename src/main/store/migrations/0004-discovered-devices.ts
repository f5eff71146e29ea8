import type { Migration } from '../migrate'

// What discovery learns about a unit besides its address: every MAC it showed (Ethernet and Wi-Fi),
// its hostname, the address it had before the last DHCP change, facts read after login, mDNS services.
const migration: Migration = {
  version: 4,
  name: 'discovered-devices',
  up: `
ALTER TABLE devices ADD COLUMN hostname TEXT;
ALTER TABLE devices ADD COLUMN previous_host TEXT;
ALTER TABLE devices ADD COLUMN macs TEXT NOT NULL DEFAULT '[]';
ALTER TABLE devices ADD COLUMN is_raspberry_pi INTEGER NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN facts TEXT;
ALTER TABLE devices ADD COLUMN services TEXT NOT NULL DEFAULT '[]';
`
}
export default migration
