import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** What a dictionary entry is about; 'allow' entries are phrases that cancel a term they contain. */
export const WORD_CATEGORIES = ['ad_absolute', 'medical_claim', 'sensitive', 'political', 'vulgar', 'fraud', 'allow'] as const;
export type WordCategory = (typeof WORD_CATEGORIES)[number];
/** block: refuse · review: hold for a person · warn: publish with a notice · allow: precision phrase */
export const WORD_SEVERITIES = ['block', 'review', 'warn', 'allow'] as const;

/**
 * 合规词库. `norm` is the term folded as text is (normalize.ts), unique, so 國家級 and 国家级 are one
 * entry. Never deleted: disabling keeps the row (and who changed it, in the audit log).
 */
export const screeningWords = sqliteTable(
  'screening_words',
  {
    id: text('id').primaryKey(),
    term: text('term').notNull(),
    norm: text('norm').notNull(),
    category: text('category', { enum: WORD_CATEGORIES }).notNull(),
    severity: text('severity', { enum: WORD_SEVERITIES }).notNull(),
    hint: text('hint'),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    /** the dictionary version this row last changed in */
    version: integer('version').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('screening_words_norm_uq').on(t.norm), index('screening_words_cat_idx').on(t.category, t.severity)],
);

/**
 * One row (id 'dictionary'): the dictionary's version, bumped in the same batch as every change so
 * each isolate's cached automaton knows when to rebuild, and concurrent edits get distinct versions.
 */
export const screeningDictionary = sqliteTable('screening_dictionary', {
  id: text('id').primaryKey(),
  version: integer('version').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** Where a fingerprinted text came from. */
export const FINGERPRINT_KINDS = ['product', 'article', 'review', 'merchant_application'] as const;

/**
 * 64-bit simhash of a text, as 16 hex digits, plus its eight bytes as band columns: two hashes
 * within 7 bits of each other share at least one band (pigeonhole), so a lookup reads only rows
 * that share one.
 */
export const screeningFingerprints = sqliteTable(
  'screening_fingerprints',
  {
    kind: text('kind', { enum: FINGERPRINT_KINDS }).notNull(),
    sourceId: text('source_id').notNull(),
    hash: text('hash').notNull(),
    b0: integer('b0').notNull(),
    b1: integer('b1').notNull(),
    b2: integer('b2').notNull(),
    b3: integer('b3').notNull(),
    b4: integer('b4').notNull(),
    b5: integer('b5').notNull(),
    b6: integer('b6').notNull(),
    b7: integer('b7').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('screening_fp_source_uq').on(t.kind, t.sourceId),
    index('screening_fp_b0').on(t.b0),
    index('screening_fp_b1').on(t.b1),
    index('screening_fp_b2').on(t.b2),
    index('screening_fp_b3').on(t.b3),
    index('screening_fp_b4').on(t.b4),
    index('screening_fp_b5').on(t.b5),
    index('screening_fp_b6').on(t.b6),
    index('screening_fp_b7').on(t.b7),
  ],
);
