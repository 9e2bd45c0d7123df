// Production code must not depend on workers/dev: the only import of it is the conditional mount
// in workers/app.ts. Checked on the source text of every non-test file of the Worker and its
// Durable Objects (tests may use dev helpers such as the PNG encoder or signed sandbox notifications).
import { describe, expect, it } from 'vitest';

declare global {
  interface ImportMeta {
    glob(patterns: string[], options: { query: '?raw'; import: 'default'; eager: true }): Record<string, string>;
  }
}

const SOURCES = import.meta.glob(['../**/*.ts', '../../durable-objects/**/*.ts', '!../**/*.test.ts', '!../../durable-objects/**/*.test.ts', '!./**'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

const HERE = new URL('file:///repo/workers/dev/boundary.test.ts');
const DEV_DIR = '/repo/workers/dev/';
/** Static imports, re-exports and dynamic imports. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

describe('workers/dev boundary', () => {
  it('no production file imports workers/dev except the one mount in workers/app.ts', () => {
    const files = Object.keys(SOURCES);
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((f) => f.startsWith('./'))).toBe(false);
    const imports: string[] = [];
    for (const [file, text] of Object.entries(SOURCES)) {
      const at = new URL(file, HERE);
      for (const m of text.matchAll(SPECIFIER)) {
        const spec = m[1]!;
        if (!spec.startsWith('.')) continue;
        if (new URL(spec, at).pathname.startsWith(DEV_DIR)) imports.push(`${at.pathname.replace('/repo/', '')} → ${spec}`);
      }
    }
    expect(imports).toEqual(['workers/app.ts → ./dev/mount']);
  });
});
