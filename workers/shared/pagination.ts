import { z } from '@hono/zod-openapi';
import { sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { badRequest } from './errors';

/** Query params every list route accepts. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ example: 20 }),
  cursor: z
    .string()
    .max(512)
    .optional()
    // Checked here so a bad cursor is an ordinary validation error naming the parameter.
    .refine((c) => c === undefined || tryDecode(c) !== null, 'cursor is not valid; start again without it')
    .openapi({ description: 'opaque cursor from the previous page' }),
};

/** A keyset position: the sort value of the last row seen and its id as tie-breaker. */
export interface Cursor {
  v: string | number | null;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return btoa(unescape(encodeURIComponent(JSON.stringify(c))))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function tryDecode(raw: string): Cursor | null {
  try {
    const b64 = raw.replace(/-/g, '+').replace(/_/g, '/');
    const parsed = JSON.parse(decodeURIComponent(escape(atob(b64)))) as Cursor;
    return typeof parsed === 'object' && parsed !== null && typeof parsed.id === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

export function decodeCursor(raw: string | undefined): Cursor | null {
  if (!raw) return null;
  const c = tryDecode(raw);
  if (!c) throw badRequest('validation.bad_cursor', 'cursor is not valid; start again without it');
  return c;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Turns a query that fetched `limit + 1` rows into a page: the extra row only tells whether
 * there is more, so no COUNT(*) is needed.
 */
export function toPage<T>(rows: T[], limit: number, cursorOf: (row: T) => Cursor): Page<T> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor(cursorOf(last)) : null };
}

export const pageSchema = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/**
 * The keyset condition for "newest first" lists ordered by (createdAt desc, id desc): rows after
 * the cursor's position. Undefined without a cursor, so it drops out of `and(…)`. Written as a
 * row-value comparison, which SQLite turns into a seek on a (…, created_at, id) index; the
 * equivalent `a < x OR (a = x AND id < y)` is not, and page n would walk the n − 1 pages before it.
 */
export function olderThanCursor(cols: { createdAt: SQLiteColumn; id: SQLiteColumn }, cur: Cursor | null): SQL | undefined {
  if (!cur) return undefined;
  return sql`(${cols.createdAt}, ${cols.id}) < (${Number(cur.v)}, ${cur.id})`;
}
