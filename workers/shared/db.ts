import { drizzle, type DrizzleD1Database } from 'drizzle-orm/d1';

export type Db = DrizzleD1Database;

/** One drizzle handle per request; cheap to create. */
export function getDb(d1: D1Database): Db {
  return drizzle(d1);
}

/** epoch ms → ISO-8601 for JSON responses (storage stays epoch ms). */
export const iso = (ms: number | null | undefined): string | null => (ms == null ? null : new Date(ms).toISOString());

/** Turns a drizzle query into a raw D1 statement so it can share one `batch` with hand-written SQL. */
export function stmt(d1: D1Database, q: { toSQL(): { sql: string; params: unknown[] } }): D1PreparedStatement {
  const { sql, params } = q.toSQL();
  return d1.prepare(sql).bind(...params);
}

const GUARD_MARK = 'edgemall_guard_failed';

/**
 * A batch statement that aborts the whole batch unless `condition` holds — D1 has no interactive
 * transactions, so this is how a write says "only if nobody changed it meanwhile".
 */
export function guard(d1: D1Database, condition: string, ...params: unknown[]): D1PreparedStatement {
  return d1.prepare(`SELECT CASE WHEN (${condition}) THEN 1 ELSE json('${GUARD_MARK}') END`).bind(...params);
}

/** Classifies a failed batch so services can turn it into the right AppError. */
export function batchFailure(err: unknown): 'guard' | 'check' | 'unique' | null {
  const msg = err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? '')}` : String(err);
  if (/malformed JSON/i.test(msg)) return 'guard';
  if (/CHECK constraint failed/i.test(msg)) return 'check';
  if (/UNIQUE constraint failed/i.test(msg)) return 'unique';
  return null;
}

/** D1 refuses a statement that binds more than 100 parameters. */
export const D1_MAX_PARAMS = 100;

/**
 * Ids per `IN (…)` list: the limit less room for the statement's other parameters (a user id, a
 * status, a time), so a chunk never pushes a query over it.
 */
export const D1_IN_CHUNK = D1_MAX_PARAMS - 10;

/**
 * Runs `query` once per chunk of at most `size` distinct ids and concatenates the rows, so a list
 * of any length is read whole — never cut to what one statement may bind. Chunks run one after
 * another: D1 executes a database's queries one at a time anyway. Ids are de-duplicated first, so
 * a repeated id neither wastes a parameter nor returns its row twice.
 */
export async function inChunks<T, R>(ids: readonly T[], size: number, query: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  if (!Number.isInteger(size) || size < 1 || size > D1_MAX_PARAMS)
    throw new RangeError(`inChunks: size ${size} is not within 1…${D1_MAX_PARAMS}`);
  const unique = [...new Set(ids)];
  const out: R[] = [];
  for (let i = 0; i < unique.length; i += size) out.push(...(await query(unique.slice(i, i + size))));
  return out;
}
