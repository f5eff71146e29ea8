// SecretBox over Electron's safeStorage (OS keychain: Keychain, DPAPI, libsecret/kwallet). Takes
// safeStorage's three functions rather than electron itself, so core/ never imports electron;
// src/main/index.ts passes `safeStorage` in.
import { EdgeError } from '../../../shared/errors'
import { frame, unframe, type SecretBox } from './secret-box'

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  encryptString(plainText: string): Buffer
  decryptString(encrypted: Buffer): string
  /** Linux only: 'basic_text' means no keychain, only a fixed built-in password. */
  getSelectedStorageBackend?(): string
}

const KIND = 'os-keychain'

export function safeStorageSecretBox(safeStorage: SafeStorageLike): SecretBox {
  const ensure = () => {
    if (!safeStorage.isEncryptionAvailable()) throw new EdgeError('SSH_IDENTITY_UNREADABLE', 'the system keychain is not available')
  }
  return {
    kind: KIND,
    seal(plain) {
      ensure()
      // base64 because encryptString takes text; the key is text already, but the box is generic.
      return frame(KIND, safeStorage.encryptString(plain.toString('base64')))
    },
    open(sealed) {
      ensure()
      const body = unframe(KIND, sealed, 'the sealed key')
      try {
        return Buffer.from(safeStorage.decryptString(body), 'base64')
      } catch (err) {
        throw new EdgeError('SSH_IDENTITY_UNREADABLE', 'the system keychain refused to open the sealed key (another user or keychain?)', { cause: err })
      }
    }
  }
}

/**
 * The desktop's choice: the keychain when there is a real one, else the key-file box. On Linux
 * without a keyring safeStorage falls back to 'basic_text', a fixed password compiled into Chromium,
 * which protects less than a 0600 file.
 */
export function desktopSecretBox(safeStorage: SafeStorageLike, fallback: () => SecretBox): SecretBox {
  const backend = safeStorage.getSelectedStorageBackend?.()
  if (!safeStorage.isEncryptionAvailable() || backend === 'basic_text' || backend === 'unknown') return fallback()
  return safeStorageSecretBox(safeStorage)
}
