import { and, asc, eq, like, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { batchFailure, iso } from '../../shared/db';
import { badRequest, conflict, notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { DEFAULT_DICTIONARY } from './defaults';
import type { CreateWordInput, UpdateWordInput, WordDto, WordListQuery } from './dto';
import { Matcher, type DictEntry } from './matcher';
import { normaliseTerm } from './normalize';
import { screeningDictionary, screeningWords } from './schema';

type WordRow = typeof screeningWords.$inferSelect;

const DICT_ID = 'dictionary';
/** Each change bumps the version in its own batch; the word row takes the bumped value. */
const BUMP = `UPDATE screening_dictionary SET version = version + 1, updated_at = ? WHERE id = '${DICT_ID}'`;
const CURRENT = `(SELECT version FROM screening_dictionary WHERE id = '${DICT_ID}')`;

const dto = (r: WordRow): WordDto => ({
  id: r.id,
  term: r.term,
  category: r.category,
  severity: r.severity,
  hint: r.hint,
  enabled: r.enabled,
  version: r.version,
  createdAt: iso(r.createdAt)!,
  updatedAt: iso(r.updatedAt)!,
});

/** A row as D1 returns it from `RETURNING *` (column names, 0/1 booleans). */
type RawWord = {
  id: string;
  term: string;
  norm: string;
  category: WordRow['category'];
  severity: WordRow['severity'];
  hint: string | null;
  enabled: number;
  version: number;
  created_at: number;
  updated_at: number;
};
const fromRaw = (r: RawWord): WordRow => ({ ...r, enabled: !!r.enabled, createdAt: r.created_at, updatedAt: r.updated_at });

async function readVersion(ctx: Ctx): Promise<number | null> {
  const [row] = await ctx.db
    .select({ v: screeningDictionary.version })
    .from(screeningDictionary)
    .where(eq(screeningDictionary.id, DICT_ID));
  return row ? row.v : null;
}

/**
 * The dictionary's version, seeding the default dictionary the first time (one batch of INSERT OR
 * IGNORE: two isolates seeding at once leave one copy). Once the version row exists staff own the
 * list — a word they disabled is never seeded back.
 */
export async function ensureDictionary(ctx: Ctx): Promise<number> {
  const v = await readVersion(ctx);
  if (v !== null) return v;
  const d1 = ctx.env.DB;
  const rows = DEFAULT_DICTIONARY.map((e) => [newId('sw'), e.term, normaliseTerm(e.term), e.category, e.severity, e.hint] as const);
  const PER = 10; // 10 rows × 9 params stays under D1's 100 bound parameters
  const inserts: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += PER) {
    const chunk = rows.slice(i, i + PER);
    inserts.push(
      d1
        .prepare(
          `INSERT OR IGNORE INTO screening_words (id, term, norm, category, severity, hint, enabled, version, created_at, updated_at) VALUES ${chunk
            .map(() => '(?, ?, ?, ?, ?, ?, 1, 1, ?, ?)')
            .join(', ')}`,
        )
        .bind(...chunk.flatMap((r) => [...r, ctx.now, ctx.now])),
    );
  }
  await d1.batch([
    d1.prepare(`INSERT OR IGNORE INTO screening_dictionary (id, version, updated_at) VALUES ('${DICT_ID}', 1, ?)`).bind(ctx.now),
    ...inserts,
  ]);
  return (await readVersion(ctx))!;
}

async function wordRow(ctx: Ctx, id: string): Promise<WordRow> {
  const [row] = await ctx.db.select().from(screeningWords).where(eq(screeningWords.id, id));
  if (!row) throw notFound('screening.word_not_found', `word ${id}`);
  return row;
}

/** getSensitiveWord (also the audit log's "before" of an edit). */
export async function getWord(ctx: Ctx, id: string): Promise<WordDto> {
  return dto(await wordRow(ctx, id));
}

async function wordByNorm(ctx: Ctx, norm: string): Promise<WordRow | undefined> {
  const [row] = await ctx.db.select().from(screeningWords).where(eq(screeningWords.norm, norm));
  return row;
}

/**
 * createSensitiveWord. The same term sent again with the same settings answers the existing word
 * (a retried request changes nothing); with other settings it is 409 — edit the word instead.
 * Variants that fold to the same text (國家級 / 国家级, ＴＯＰ１ / top1) are the same term.
 */
export async function createWord(ctx: Ctx, input: CreateWordInput): Promise<{ word: WordDto; created: boolean }> {
  const norm = normaliseTerm(input.term);
  if (!norm)
    throw badRequest('screening.term_empty', 'the term has no letters or digits once spaces and symbols are removed', { path: 'term' });
  await ensureDictionary(ctx);
  const hint = input.hint ?? null;
  const same = (r: WordRow) => r.category === input.category && r.severity === input.severity && r.hint === hint && r.enabled;
  const existing = async () => {
    const r = await wordByNorm(ctx, norm);
    if (!r) return null;
    if (same(r)) return { word: dto(r), created: false };
    throw conflict('screening.word_exists', `"${r.term}" is already in the dictionary; change it instead`, { id: r.id });
  };
  const found = await existing();
  if (found) return found;
  const id = newId('sw');
  const d1 = ctx.env.DB;
  let results: D1Result[];
  try {
    results = await d1.batch([
      d1.prepare(BUMP).bind(ctx.now),
      d1
        .prepare(
          `INSERT INTO screening_words (id, term, norm, category, severity, hint, enabled, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ${CURRENT}, ?, ?) RETURNING *`,
        )
        .bind(id, input.term, norm, input.category, input.severity, hint, ctx.now, ctx.now),
    ]);
  } catch (e) {
    // a concurrent create of the same term won the unique index; the batch (and its bump) rolled back
    if (batchFailure(e) !== 'unique') throw e;
    const raced = await existing();
    if (raced) return raced;
    throw e;
  }
  // the row as this batch wrote it: its version is this edit's, whatever came after
  return { word: dto(fromRaw(results[1]!.results[0] as RawWord)), created: true };
}

/** updateSensitiveWord / deleteSensitiveWord (enabled false): the change and the bump in one batch. */
export async function updateWord(ctx: Ctx, id: string, patch: UpdateWordInput): Promise<WordDto> {
  const before = await wordRow(ctx, id);
  const next = {
    category: patch.category ?? before.category,
    severity: patch.severity ?? before.severity,
    hint: patch.hint === undefined ? before.hint : patch.hint,
    enabled: patch.enabled ?? before.enabled,
  };
  if ((next.category === 'allow') !== (next.severity === 'allow'))
    throw badRequest('validation.failed', "category 'allow' goes with severity 'allow' and only with it", { path: 'severity' });
  await ensureDictionary(ctx);
  const d1 = ctx.env.DB;
  const results = await d1.batch([
    d1.prepare(BUMP).bind(ctx.now),
    d1
      .prepare(
        `UPDATE screening_words SET category = ?, severity = ?, hint = ?, enabled = ?, version = ${CURRENT}, updated_at = ? WHERE id = ? RETURNING *`,
      )
      .bind(next.category, next.severity, next.hint, next.enabled ? 1 : 0, ctx.now, id),
  ]);
  return dto(fromRaw(results[1]!.results[0] as RawWord));
}

/** listSensitiveWords: the whole dictionary (a few hundred rows) with filters, and its version. */
export async function listWords(ctx: Ctx, q: WordListQuery): Promise<{ version: number; items: WordDto[] }> {
  const version = await ensureDictionary(ctx);
  const where: SQL[] = [];
  if (q.category) where.push(eq(screeningWords.category, q.category));
  if (q.severity) where.push(eq(screeningWords.severity, q.severity));
  if (q.enabled) where.push(eq(screeningWords.enabled, q.enabled === 'true'));
  if (q.q) where.push(like(screeningWords.term, `%${q.q.replace(/[%_\\]/g, '\\$&')}%`));
  const rows = await ctx.db
    .select()
    .from(screeningWords)
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(screeningWords.category), asc(screeningWords.term))
    .limit(2000);
  return { version, items: rows.map(dto) };
}

/** This isolate's automaton and the version it was built from; rebuilt when the version moves. */
let cached: { version: number; matcher: Matcher } | null = null;

export async function currentMatcher(ctx: Ctx): Promise<{ version: number; matcher: Matcher }> {
  const version = await ensureDictionary(ctx);
  if (cached && cached.version === version) return cached;
  const rows = await ctx.db
    .select({ term: screeningWords.term, category: screeningWords.category, severity: screeningWords.severity, hint: screeningWords.hint })
    .from(screeningWords)
    .where(eq(screeningWords.enabled, true));
  const entries: DictEntry[] = rows;
  cached = { version, matcher: new Matcher(entries) };
  return cached;
}
