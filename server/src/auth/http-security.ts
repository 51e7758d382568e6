/**
 * Response headers for the whole server (@fastify/helmet) with a Content-Security-Policy that fits
 * the screen: everything from our own origin (the network is isolated: no third-party host),
 * MapLibre's workers started from blob: URLs, map images and glyphs as blob:/data:, WebGL (needs no
 * directive), and inline style attributes (ECharts tooltips and MapLibre markers set them).
 * No `upgrade-insecure-requests`: wall screens on a LAN are served over plain http.
 * An XYZ basemap (BASEMAP, opt-in) adds its tile hosts to img-src and connect-src, and nothing else.
 */
import type { FastifyHelmetOptions } from '@fastify/helmet'

export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  workerSrc: ["'self'", 'blob:'],
  childSrc: ["'self'", 'blob:'],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  styleSrc: ["'self'", "'unsafe-inline'"],
  // 'self' covers same-origin ws:/wss: for the /live socket
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'self'"],
  formAction: ["'self'"],
  upgradeInsecureRequests: null,
}

/** `tileOrigins`: the configured basemap's tile hosts (MapLibre fetches tiles, then decodes them as images) */
export const helmetOptions = (tileOrigins: readonly string[] = []): FastifyHelmetOptions => ({
  global: true,
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      ...CSP_DIRECTIVES,
      imgSrc: [...CSP_DIRECTIVES.imgSrc, ...tileOrigins],
      connectSrc: [...CSP_DIRECTIVES.connectSrc, ...tileOrigins],
    },
  },
  // over plain http browsers ignore it; behind TLS the operator's proxy decides
  strictTransportSecurity: false,
  referrerPolicy: { policy: 'no-referrer' },
})
