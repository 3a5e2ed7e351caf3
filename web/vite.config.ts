/** Vite config for the web portal: `vite build --config web/vite.config.ts` writes web/dist. */
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = import.meta.dirname;

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: resolve(webRoot, 'dist'),
    emptyOutDir: true,
    sourcemap: false,
    // .vite/manifest.json: which chunks each page loads (the README's size figures come from it)
    manifest: true,
    chunkSizeWarningLimit: 800,
  },
  server: {
    // `npx vite --config web/vite.config.ts` proxies the API to a running `licstat serve`.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
