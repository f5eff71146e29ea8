// Types for cli-bundle-options.js, which the start-up imports test reads.
import type { BuildOptions } from 'esbuild'

export const root: string
export const bundledPackages: string[]
export const cliBundleOptions: BuildOptions
