import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// `pnpm dev`: Vite with HMR on 5173, proxying the API and the live socket to the
// server on 8080 (started alongside by the root `dev` script).
const server = `http://localhost:${process.env.PORT ?? 8080}`

export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: [{ find: /^maplibre-gl$/, replacement: 'maplibre-gl/dist/maplibre-gl-csp.js' }],
  },
  server: {
    port: 5173,
    proxy: {
      '/api': server,
      '/socket.io': { target: server, ws: true },
    },
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
})
