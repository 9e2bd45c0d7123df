import { defineConfig } from 'drizzle-kit';

// Each domain owns its tables in workers/domains/<domain>/schema.ts; drizzle-kit reads them all.
export default defineConfig({
  dialect: 'sqlite',
  schema: './workers/domains/*/schema.ts',
  out: './migrations',
});
