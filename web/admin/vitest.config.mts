// Unit tests of the console (node, no browser): npx vitest run --config web/admin/vitest.config.mts
// The screens themselves are covered by the Chromium scenarios in test/browser.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  test: {
    root: here,
    include: ['test/**/*.test.{ts,tsx}'],
    environment: 'node',
  },
});
