// Renderer build. `base: './'` because Electron loads it from file:// (or a custom
// scheme) and `macs serve` serves it from /. Everything is bundled locally: no CDN.
//
// Dev with hot reload: run `node bin/macs.js serve --port 8787` (after `npm run build`), then
// `MACS_ENGINE=http://127.0.0.1:8787 npx vite --config renderer/vite.config.ts` and open
// http://localhost:5173/?token=<the token macs serve printed>.
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const engine = process.env.MACS_ENGINE;

/** The dev server injects an inline React-refresh preamble and an HMR socket; allow them in dev only. */
function devCsp(): Plugin {
  return {
    name: 'macs-dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace('connect-src', 'connect-src ws://localhost:* http://localhost:*'),
  };
}

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react(), devCsp()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    // Monaco is one big lazily-loaded chunk by nature; that is expected for a desktop app.
    chunkSizeWarningLimit: 4_000,
    reportCompressedSize: false,
  },
  worker: { format: 'es' },
  server: {
    fs: { allow: ['..'] },
    // The engine checks Origin, so present the engine's own origin through the proxy.
    proxy: engine
      ? {
          '/ws': { target: engine, ws: true, changeOrigin: true, headers: { origin: engine } },
          '/download': { target: engine, changeOrigin: true, headers: { origin: engine } },
        }
      : undefined,
  },
});
