// The renderer's only door to the main process: one named function per contract method and a
// subscription to the contract's events. There is no generic invoke(channel, …).
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
import { eventNames, methodNames, type CallResult, type EventName } from '../shared/contract'
import { EVENT_CHANNEL, METHOD_CHANNEL_PREFIX } from '../shared/ipc-channels'

type Bridge = Record<string, (input: unknown) => Promise<CallResult>> & {
  on(event: EventName, listener: (payload: unknown) => void): () => void
  /** The path of a file the user dropped or picked; main still checks it (api/user-files). */
  pathForFile(file: File): string
}

const bridge = Object.fromEntries(
  methodNames.map((m) => [m, (input: unknown) => ipcRenderer.invoke(`${METHOD_CHANNEL_PREFIX}${m}`, input) as Promise<CallResult>])
) as Bridge

bridge.on = (event, listener) => {
  if (!eventNames.includes(event)) throw new Error(`Unknown event ${String(event)}`)
  const handler = (_e: IpcRendererEvent, name: string, payload: unknown) => {
    if (name === event) listener(payload)
  }
  ipcRenderer.on(EVENT_CHANNEL, handler)
  return () => ipcRenderer.removeListener(EVENT_CHANNEL, handler)
}

bridge.pathForFile = (file) => webUtils.getPathForFile(file)

contextBridge.exposeInMainWorld('edgedock', bridge)
