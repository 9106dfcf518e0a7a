import path from 'node:path';
import { defineConfig } from 'vite';

/**
 * Two separate builds, one per listener, so that each serves only its own files:
 *   vite build -c web/vite.config.ts --mode app     → dist/web/app    (the customer web app, API listener)
 *   vite build -c web/vite.config.ts --mode enroll  → dist/web/enroll (電子証明書取得, enrollment listener)
 * Hashed asset names (cached for a year), no inline script or style (the CSP forbids them), no
 * CDN: everything the browser runs comes from the gateway.
 */
export default defineConfig(({ mode }) => {
  if (mode !== 'app' && mode !== 'enroll') throw new Error(`--mode app or --mode enroll, not ${mode}`);
  return {
    root: path.join(import.meta.dirname, mode),
    base: '/',
    publicDir: false,
    logLevel: 'warn',
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
      outDir: path.join(import.meta.dirname, '..', 'dist', 'web', mode),
      emptyOutDir: true,
      target: 'es2022',
      // A data: URL would need img-src data:; every asset is a file of this origin instead.
      assetsInlineLimit: 0,
      // The preload polyfill is an inline script; the browsers the bank supports need none.
      modulePreload: { polyfill: false },
      cssCodeSplit: false,
      reportCompressedSize: false,
      chunkSizeWarningLimit: 600,
    },
  };
});
