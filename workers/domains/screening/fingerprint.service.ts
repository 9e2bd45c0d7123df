import { and, asc, eq, gt, or, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { screeningFingerprints, FINGERPRINT_KINDS } from './schema';
import { hammingDistance, simhash } from './simhash';

export type FingerprintKind = (typeof FINGERPRINT_KINDS)[number];

/**
 * Up to BAND_EXACT differing bits a lookup reads only rows sharing a band (8 one-byte bands: ≤ 7
 * differences leave one band equal). Above that, up to MAX_DISTANCE, it reads every fingerprint of
 * the kind — measured: a 230-character paragraph with four small edits lands 8 bits away, 700
 * pairs of unrelated product paragraphs 18 or more (most 25–40), so 10 is the default.
 */
export const BAND_EXACT = 7;
export const MAX_DISTANCE = 12;
export const DEFAULT_DISTANCE = 10;
const SCAN_PAGE = 2000;

/**
 * Stores (or replaces) the fingerprint of a product's, article's… text, so later texts can be
 * compared with it. Text too short to fingerprint removes any earlier one. Repeating is harmless.
 */
export async function rememberFingerprint(ctx: Ctx, kind: FingerprintKind, sourceId: string, text: string): Promise<string | null> {
  const h = simhash(text);
  const key = and(eq(screeningFingerprints.kind, kind), eq(screeningFingerprints.sourceId, sourceId));
  if (!h) {
    await ctx.db.delete(screeningFingerprints).where(key);
    return null;
  }
  const [b0, b1, b2, b3, b4, b5, b6, b7] = h.bands as [number, number, number, number, number, number, number, number];
  const cols = { hash: h.hex, b0, b1, b2, b3, b4, b5, b6, b7, updatedAt: ctx.now };
  await ctx.db
    .insert(screeningFingerprints)
    .values({ kind, sourceId, ...cols })
    .onConflictDoUpdate({ target: [screeningFingerprints.kind, screeningFingerprints.sourceId], set: cols });
  return h.hex;
}

export interface NearDuplicate {
  kind: FingerprintKind;
  sourceId: string;
  distance: number;
}

/** Rows sharing at least one band with `bands`, through the band indexes. */
async function sharingABand(ctx: Ctx, bands: number[], kind: FingerprintKind | undefined): Promise<Candidate[]> {
  const f = screeningFingerprints;
  const anyBand = or(...[f.b0, f.b1, f.b2, f.b3, f.b4, f.b5, f.b6, f.b7].map((c, i) => eq(c, bands[i]!)))!;
  return ctx.db
    .select({ kind: f.kind, sourceId: f.sourceId, hash: f.hash })
    .from(f)
    .where(kind ? and(eq(f.kind, kind), anyBand) : anyBand);
}

type Candidate = { kind: FingerprintKind; sourceId: string; hash: string };

/** Every fingerprint (of a kind), a page at a time in key order. */
async function scanAll(ctx: Ctx, kind: FingerprintKind | undefined): Promise<Candidate[]> {
  const f = screeningFingerprints;
  const out: Candidate[] = [];
  let after: { kind: FingerprintKind; sourceId: string } | null = null;
  for (;;) {
    const conds: SQL[] = [];
    if (kind) conds.push(eq(f.kind, kind));
    if (after) conds.push(or(gt(f.kind, after.kind), and(eq(f.kind, after.kind), gt(f.sourceId, after.sourceId)))!);
    const page = await ctx.db
      .select({ kind: f.kind, sourceId: f.sourceId, hash: f.hash })
      .from(f)
      .where(conds.length ? and(...conds) : undefined)
      .orderBy(asc(f.kind), asc(f.sourceId))
      .limit(SCAN_PAGE);
    out.push(...page);
    if (page.length < SCAN_PAGE) return out;
    after = page[page.length - 1]!;
  }
}

/**
 * Stored texts within `maxDistance` bits (0…12) of `text`, nearest first. `kind` narrows the
 * search; `exclude` leaves out the source being checked itself.
 */
export async function findNearDuplicates(
  ctx: Ctx,
  text: string,
  maxDistance = DEFAULT_DISTANCE,
  opts: { kind?: FingerprintKind; exclude?: { kind: FingerprintKind; sourceId: string } } = {},
): Promise<NearDuplicate[]> {
  if (!Number.isInteger(maxDistance) || maxDistance < 0 || maxDistance > MAX_DISTANCE)
    throw new RangeError(`maxDistance ${maxDistance} is not within 0…${MAX_DISTANCE}`);
  const h = simhash(text);
  if (!h) return [];
  const rows = maxDistance <= BAND_EXACT ? await sharingABand(ctx, h.bands, opts.kind) : await scanAll(ctx, opts.kind);
  return rows
    .filter((r) => !(opts.exclude && r.kind === opts.exclude.kind && r.sourceId === opts.exclude.sourceId))
    .map((r) => ({ kind: r.kind, sourceId: r.sourceId, distance: hammingDistance(h.hex, r.hash) }))
    .filter((r) => r.distance <= maxDistance)
    .sort((a, b) => a.distance - b.distance || a.sourceId.localeCompare(b.sourceId));
}
