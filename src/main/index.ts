// Electron entry only: the window (sandboxed, isolated, strict CSP, no navigation) and the contract's
// handlers registered on ipcMain through one wrapper that checks the sender. Everything else lives
// in app/, api/ and core/, which run under plain Node too.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow, ipcMain, safeStorage, session, type IpcMainInvokeEvent } from 'electron'
import { methodNames } from '../shared/contract'
import { EVENT_CHANNEL, METHOD_CHANNEL_PREFIX } from '../shared/ipc-channels'
import { createApp, type EdgeDockApp } from './app/create-app'
import { defaultDataDir } from './app/data-dir'
import { electronNativeBinding } from './app/electron-native'
import { CSP } from './station/csp'
import { desktopSecretBox, fileSecretBox } from './core/ssh'

const here = path.dirname(fileURLToPath(import.meta.url))

let edgedock: EdgeDockApp | null = null
let win: BrowserWindow | null = null

function isTrustedSender(e: IpcMainInvokeEvent): boolean {
  // Only our own window's top frame, loaded from our own files (or the dev server in development).
  if (!win || e.sender !== win.webContents || e.senderFrame !== win.webContents.mainFrame) return false
  const url = e.senderFrame.url
  const dev = process.env.ELECTRON_RENDERER_URL
  return url.startsWith('file://') || (dev !== undefined && url.startsWith(dev))
}

function registerHandlers(a: EdgeDockApp): void {
  for (const method of methodNames) {
    ipcMain.handle(`${METHOD_CHANNEL_PREFIX}${method}`, (e, input: unknown) => {
      if (!isTrustedSender(e)) return { ok: false, error: { code: 'UNAUTHORIZED', message: 'Not allowed', detail: '' } }
      return a.dispatch(method, input, { transport: 'electron' })
    })
  }
  a.events.subscribe((event, payload) => {
    if (win && !win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event, payload)
  })
}

function createWindow(): void {
  win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'EdgeDock',
    backgroundColor: '#0f1419',
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false
    }
  })
  win.webContents.on('will-navigate', (e) => e.preventDefault())
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  win.webContents.on('will-attach-webview', (e) => e.preventDefault())
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL)
  else void win.loadFile(path.join(here, '../renderer/index.html'))
}

app.enableSandbox()
void app.whenReady().then(() => {
  if (!process.env.ELECTRON_RENDERER_URL) {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } })
    })
  }
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  const dataDir = process.env.EDGEDOCK_DATA_DIR ?? defaultDataDir()
  edgedock = createApp({
    dataDir,
    frontEnd: 'desktop',
    // The private key is sealed by the OS keychain where there is one (a 0600 key file otherwise).
    secretBox: desktopSecretBox(safeStorage, () => fileSecretBox(path.join(dataDir, 'ssh', 'secret.key'))),
    nativeBinding: electronNativeBinding(app.getAppPath(), process.versions.electron ?? ''),
    version: app.getVersion(),
    resourcesDir: path.join(app.getAppPath(), 'resources'),
    watchExternal: true,
    watchUsb: true
  })
  registerHandlers(edgedock)
  createWindow()
})

app.on('window-all-closed', () => {
  edgedock?.close()
  app.quit()
})
