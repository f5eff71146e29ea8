// Named errors of discovery. Each carries a stable `code`; the lead's table in
// src/shared/errors.ts maps codes to the sentence a technician reads (en / zh).

import { EdgeError } from '../../../shared/errors'

export type DiscoveryErrorCode =
  | 'DISCOVERY_INVALID_SUBNET'
  | 'DISCOVERY_SUBNET_TOO_LARGE'
  | 'DISCOVERY_ABORTED'
  | 'USB_UDEV_MISSING'
  | 'USB_LIST_FAILED'
  | 'SERIAL_LOGIN_TIMEOUT'
  | 'SERIAL_LOGIN_INCORRECT'
  | 'SERIAL_COMMAND_TIMEOUT'
  | 'SERIAL_COMMAND_FAILED'
  | 'SERIAL_CONSOLE_CLOSED'
  | 'MDNS_UNAVAILABLE'

/** An EdgeError, so every transport serialises it as {code, message, detail}. */
export class DiscoveryError extends EdgeError {
  declare readonly code: DiscoveryErrorCode
  constructor(code: DiscoveryErrorCode, message: string, options?: { cause?: unknown; detail?: string }) {
    super(code, options?.detail ?? '', { cause: options?.cause, message })
  }
}

export class InvalidSubnetError extends DiscoveryError {
  constructor(readonly subnet: string) {
    super('DISCOVERY_INVALID_SUBNET', `"${subnet}" is not an IPv4 subnet such as 192.168.1.0/24`, { detail: subnet })
  }
}

export class SubnetTooLargeError extends DiscoveryError {
  constructor(readonly subnet: string, readonly minPrefix: number) {
    super('DISCOVERY_SUBNET_TOO_LARGE', `${subnet} is too large to sweep; use /${minPrefix} or smaller`, { detail: subnet })
  }
}

export class DiscoveryAbortedError extends DiscoveryError {
  constructor() {
    super('DISCOVERY_ABORTED', 'Discovery was cancelled')
  }
}

export class UsbUdevMissingError extends DiscoveryError {
  constructor(cause?: unknown) {
    super('USB_UDEV_MISSING', 'udevadm is not installed, so USB serial adapters cannot be listed (install the "udev" package)', { cause })
  }
}

export class UsbListFailedError extends DiscoveryError {
  constructor(detail: string, cause?: unknown) {
    super('USB_LIST_FAILED', `Listing USB devices failed: ${detail}`, { cause, detail })
  }
}

export class SerialLoginTimeoutError extends DiscoveryError {
  constructor(readonly waitingFor: string, readonly lastOutput: string) {
    super('SERIAL_LOGIN_TIMEOUT', `No ${waitingFor} on the serial console in time`)
  }
}

export class SerialLoginIncorrectError extends DiscoveryError {
  constructor() {
    super('SERIAL_LOGIN_INCORRECT', 'The serial console refused the user name or password (Login incorrect)')
  }
}

export class SerialCommandTimeoutError extends DiscoveryError {
  constructor(readonly command: string) {
    super('SERIAL_COMMAND_TIMEOUT', `The command "${command}" did not finish on the serial console in time`, { detail: command })
  }
}

export class SerialCommandFailedError extends DiscoveryError {
  constructor(readonly command: string, readonly exitCode: number, readonly output: string) {
    super('SERIAL_COMMAND_FAILED', `The command "${command}" failed on the serial console (exit ${exitCode})`, { detail: command })
  }
}

export class SerialConsoleClosedError extends DiscoveryError {
  constructor() {
    super('SERIAL_CONSOLE_CLOSED', 'The serial console closed before bootstrap finished')
  }
}

export class MdnsUnavailableError extends DiscoveryError {
  constructor(detail: string, cause?: unknown) {
    super('MDNS_UNAVAILABLE', `mDNS is not available: ${detail}`, { cause, detail })
  }
}
