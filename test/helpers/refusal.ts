import { expect } from 'vitest'
import { EdgeError } from '../../src/shared/errors'

/** The EdgeError a call throws, as the technician reads it; fails the test if the call went through. */
export function refusal(fn: () => unknown): EdgeError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(EdgeError)
    return err as EdgeError
  }
  throw new Error('expected a refusal, but the call went through')
}
