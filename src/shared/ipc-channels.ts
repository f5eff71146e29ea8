// Electron IPC channel names, shared by the main process and the preload.
export const METHOD_CHANNEL_PREFIX = 'edgedock:call:'
export const EVENT_CHANNEL = 'edgedock:event'
