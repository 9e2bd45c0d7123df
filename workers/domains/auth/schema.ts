import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';

/** One row per login; the refresh token is stored only as its SHA-256 hash. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    subjectType: text('subject_type', { enum: ['user', 'staff'] }).notNull(),
    subjectId: text('subject_id').notNull(),
    refreshHash: text('refresh_hash').notNull().unique(),
    expiresAt: integer('expires_at').notNull(),
    revokedAt: integer('revoked_at'),
    createdAt: integer('created_at').notNull(),
    lastRefreshedAt: integer('last_refreshed_at'),
  },
  (t) => [index('sessions_subject_idx').on(t.subjectType, t.subjectId)],
);
