// First-boot customisation of a Raspberry Pi OS boot partition (FAT, edited without mounting).
export { customiseBootPartition, readBootPartitionFacts, type BootPartitionFacts, type CustomiseOptions, type CustomiseResult, type FirstBootMechanism } from './customise-boot-partition'
export { checkSettings, checkHostname, type BootSettings, type CheckedSettings } from './boot-settings'
export { FatVolume, type FatEntry, type OpenFatOptions } from './fat-volume'
export { sha512Crypt, isSha512CryptHash, randomCryptSalt } from './sha512-crypt'
export { wpaPsk } from './wifi-psk'
