// One Content-Security-Policy for every way the renderer is served: nothing but the app's own
// scripts, styles and connections (the station's WebSocket is same-origin).
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')
