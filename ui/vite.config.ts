// Vite build of the dashboard: one fixed-name script and stylesheet, relative URLs, no hashes.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: false,
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    rolldownOptions: {
      output: {
        // One script: the Rust hosts embed exactly dist/index.html, assets/app.js and assets/app.css.
        codeSplitting: false,
        entryFileNames: 'assets/app.js',
        assetFileNames: (asset) => (asset.names.some((name) => name.endsWith('.css')) ? 'assets/app.css' : 'assets/[name][extname]'),
      },
    },
  },
});
