// Renderer build. `base: './'` because Electron loads it from file:// (or a custom
// scheme) and `macs serve` serves it from /. Everything is bundled locally: no CDN.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    // Monaco is one big chunk by nature; that is expected for a desktop app.
    chunkSizeWarningLimit: 4_000,
    reportCompressedSize: false,
  },
  worker: { format: 'es' },
  server: { fs: { allow: ['..'] } },
});
