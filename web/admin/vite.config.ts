import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import path from 'node:path';

// This tree's client, not whichever web/client node_modules links to (a git worktree shares them).
const CLIENT_DIR = path.resolve(__dirname, '..', 'client');

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^@edgemall\/client$/, replacement: path.join(CLIENT_DIR, 'index.ts') },
      { find: /^@edgemall\/client\//, replacement: `${CLIENT_DIR}/` },
    ],
  },
  // Absolute base: the SPA has nested routes (/products/123), served with an index.html fallback.
  base: '/',
  server: { port: 5173, strictPort: true },
  preview: { port: 4173 },
  build: {
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      output: {
        // Long-lived vendor chunks, so a console release does not re-download antd and echarts.
        manualChunks(id: string) {
          if (!id.includes('node_modules')) return undefined;
          if (/[\\/]node_modules[\\/](echarts|zrender)[\\/]/.test(id)) return 'echarts';
          if (/[\\/]node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler)[\\/]/.test(id)) return 'react';
          return 'vendor';
        },
      },
    },
  },
});
