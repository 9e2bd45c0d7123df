import { defineConfig } from 'drizzle-kit';

// Each domain owns its tables in workers/domains/<domain>/schema.ts (or <domain>/<feature>/schema.ts
// for a domain split by feature, as members is); drizzle-kit reads them all,
// and the development-only WeChat Pay sandbox's tables in workers/dev/schema.ts.
export default defineConfig({
  dialect: 'sqlite',
  schema: ['./workers/domains/*/schema.ts', './workers/domains/*/*/schema.ts', './workers/dev/schema.ts'],
  out: './migrations',
});
