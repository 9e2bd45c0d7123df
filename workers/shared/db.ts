import { drizzle, type DrizzleD1Database } from 'drizzle-orm/d1';

export type Db = DrizzleD1Database;

/** One drizzle handle per request; cheap to create. */
export function getDb(d1: D1Database): Db {
  return drizzle(d1);
}

/** epoch ms → ISO-8601 for JSON responses (storage stays epoch ms). */
export const iso = (ms: number | null | undefined): string | null => (ms == null ? null : new Date(ms).toISOString());
