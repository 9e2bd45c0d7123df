// Unit and component tests of the storefront (node + jsdom, not workerd: this is client code).
// Taro's components and APIs are replaced by small DOM shims (test/shims/), so a component's own
// logic — what it shows, what a tap does — is tested without a mini-program runtime.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: path.join(here, 'src') + '/' },
      { find: /^@tarojs\/components$/, replacement: path.join(here, 'test/shims/components.tsx') },
      { find: /^@tarojs\/taro$/, replacement: path.join(here, 'test/shims/taro.ts') },
    ],
  },
  define: { API_BASE: JSON.stringify('http://api.test') },
  test: {
    root: here,
    include: ['test/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
    setupFiles: ['test/setup.ts'],
  },
});
