import { eq, inArray } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { iso, stmt } from '../../shared/db';
import { badRequest } from '../../shared/errors';
import { screenFields } from '../screening/screen.service';
import { BAND_EXACT, findNearDuplicates, rememberFingerprint } from '../screening/fingerprint.service';
import { productScreenings, products, type ProductDuplicate, type ProductScreeningMatch, type SpecDimension } from './schema';

type ScreeningRow = typeof productScreenings.$inferSelect;

/** The texts of a product that shoppers see. */
export interface ProductTexts {
  title: string;
  subtitle: string;
  detailHtml: string;
  material: string;
  origin: string;
  attributes: Record<string, string>;
  specDims: SpecDimension[];
}

export interface ProductScreening {
  verdict: ScreeningRow['verdict'];
  held: boolean;
  matches: ProductScreeningMatch[];
  duplicates: ProductDuplicate[];
  dictionaryVersion: number;
}

/**
 * Copied-content checks need a paragraph: two shops may both sell a "316不锈钢保温杯", but the same
 * 60+ characters of detail copy is a copy.
 */
const MIN_FINGERPRINT_CHARS = 60;

/**
 * Tags become spaces of the same length, so match positions still point into the stored HTML the
 * form edits, and a term split by markup (最<b>好</b>) is still one term (spaces are folded).
 */
export const htmlAsText = (html: string) => html.replace(/<[^>]*>/g, (t) => ' '.repeat(t.length));

/** The detail copy only: titles are short and a copier changes them first (a new title alone moved 8 bits). */
const fingerprintText = (p: ProductTexts) =>
  htmlAsText(p.detailHtml)
    .replace(/&[a-z#0-9]+;/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * Screens every shown text of a product (合规筛查) and looks for another merchant's product with
 * nearly the same copy. `held` = an operator must look before it goes on sale: review-level terms,
 * or copied content.
 */
export async function screenProductTexts(ctx: Ctx, p: ProductTexts, self: { id?: string; merchantId: string }): Promise<ProductScreening> {
  const fields = [
    { field: 'title', text: p.title },
    { field: 'subtitle', text: p.subtitle },
    { field: 'detailHtml', text: htmlAsText(p.detailHtml) },
    { field: 'material', text: p.material },
    { field: 'origin', text: p.origin },
    ...Object.entries(p.attributes).map(([k, v]) => ({ field: `attributes.${k}`, text: v })),
    ...p.specDims.flatMap((d, i) => [
      { field: `specDims.${i}.name`, text: d.name },
      ...d.values.map((v, j) => ({ field: `specDims.${i}.values.${j}`, text: v })),
    ]),
  ];
  const screened = await screenFields(ctx, fields);
  const matches: ProductScreeningMatch[] = screened.matches.map((m) => ({
    field: m.field,
    term: m.term,
    category: m.category,
    severity: m.severity,
    start: m.start,
    end: m.end,
    found: m.found,
    hint: m.hint,
  }));

  let duplicates: ProductDuplicate[] = [];
  const text = fingerprintText(p);
  if (text.length >= MIN_FINGERPRINT_CHARS) {
    // Within BAND_EXACT bits the lookup reads only rows sharing a band (indexed), so a save never scans every product.
    const near = await findNearDuplicates(ctx, text, BAND_EXACT, {
      kind: 'product',
      exclude: self.id ? { kind: 'product', sourceId: self.id } : undefined,
    });
    if (near.length) {
      const rows = await ctx.db
        .select({ id: products.id, merchantId: products.merchantId, title: products.title, deletedAt: products.deletedAt })
        .from(products)
        .where(
          inArray(
            products.id,
            near.slice(0, 20).map((n) => n.sourceId),
          ),
        );
      const byId = new Map(rows.map((r) => [r.id, r]));
      // A merchant reusing its own copy across its own products is not copying.
      duplicates = near
        .map((n) => ({ n, r: byId.get(n.sourceId) }))
        .filter(({ r }) => r && !r.deletedAt && r.merchantId !== self.merchantId)
        .map(({ n, r }) => ({ productId: r!.id, merchantId: r!.merchantId, title: r!.title, distance: n.distance }));
    }
  }
  const held = screened.verdict === 'review' || duplicates.length > 0;
  return { verdict: screened.verdict, held, matches, duplicates, dictionaryVersion: screened.version };
}

/** 400 catalog.screening_blocked with the block-level matches (and the rest, for context). */
export function assertNotBlocked(s: ProductScreening): void {
  if (s.verdict !== 'block') return;
  const blocked = s.matches.filter((m) => m.severity === 'block');
  throw badRequest(
    'catalog.screening_blocked',
    `the text contains terms that cannot be published: ${[...new Set(blocked.map((m) => m.term))].join('、')}`,
    {
      verdict: s.verdict,
      matches: s.matches,
    },
  );
}

/** The statement that stores `s` as the product's latest screening (for the save's batch). */
export function screeningUpsertStatement(ctx: Ctx, productId: string, s: ProductScreening): D1PreparedStatement {
  const cols = {
    verdict: s.verdict,
    held: s.held,
    matches: s.matches,
    duplicates: s.duplicates,
    dictionaryVersion: s.dictionaryVersion,
    screenedAt: ctx.now,
  };
  return stmt(
    ctx.env.DB,
    ctx.db
      .insert(productScreenings)
      .values({ productId, ...cols })
      .onConflictDoUpdate({ target: productScreenings.productId, set: cols }),
  );
}

/** After the save: later products are compared with this one's copy. */
export async function rememberProductText(ctx: Ctx, productId: string, p: ProductTexts): Promise<void> {
  const text = fingerprintText(p);
  await rememberFingerprint(ctx, 'product', productId, text.length >= MIN_FINGERPRINT_CHARS ? text : '');
}

export async function latestScreening(ctx: Ctx, productId: string) {
  const [row] = await ctx.db.select().from(productScreenings).where(eq(productScreenings.productId, productId)).limit(1);
  if (!row) return null;
  return {
    verdict: row.verdict,
    held: row.held,
    matches: row.matches,
    duplicates: row.duplicates,
    dictionaryVersion: row.dictionaryVersion,
    screenedAt: iso(row.screenedAt)!,
  };
}
