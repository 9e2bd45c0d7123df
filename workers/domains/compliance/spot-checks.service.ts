import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { batchFailure, iso, stmt } from '../../shared/db';
import { badRequest, notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { decodeCursor, olderThanCursor, toPage, type Page } from '../../shared/pagination';
import { getMerchant } from '../merchants/merchants.service';
import { assertMerchantProducts, checkProductCompliance, sampleOnSaleProductIds } from '../catalog/product-compliance.service';
import { correctionNotices, spotCheckItems, spotChecks } from './schema';
import type { CreateSpotCheckInputT, SpotCheckDto, SpotCheckSummaryDto } from './dto';
import { assertOperator, noticeDto } from './access';

type ItemRow = typeof spotCheckItems.$inferSelect;

/**
 * createSpotCheck: samples the merchant's products (at random among on-sale ones, or the chosen
 * ids) and runs the automatic check on each — screening of every shown text and the category's
 * required facts — storing the spot check with its items in one batch. With an Idempotency-Key a
 * retry returns the first result instead of sampling again.
 * @throws 400 compliance.nothing_to_check / catalog.not_merchant_products, 403, 404 merchants.not_found
 */
export async function createSpotCheck(
  ctx: Ctx,
  input: CreateSpotCheckInputT,
  idempotencyKey?: string,
): Promise<{ spotCheck: SpotCheckDto; created: boolean }> {
  assertOperator(ctx);
  const staffId = ctx.actor.staffId;
  if (idempotencyKey) {
    const prior = await findByKey(ctx, staffId, idempotencyKey);
    if (prior) return { spotCheck: await getSpotCheck(ctx, prior), created: false };
  }
  await getMerchant(ctx, input.merchantId);
  let ids: string[];
  if (input.productIds) {
    await assertMerchantProducts(ctx, input.merchantId, input.productIds);
    ids = input.productIds;
  } else ids = await sampleOnSaleProductIds(ctx, input.merchantId, input.sampleSize!);
  if (ids.length === 0) throw badRequest('compliance.nothing_to_check', `merchant ${input.merchantId} has no product on sale to sample`);

  const id = newId('spc');
  const items: ItemRow[] = [];
  for (const productId of ids) {
    const c = await checkProductCompliance(ctx, productId);
    items.push({
      id: newId('spi'),
      spotCheckId: id,
      productId,
      productTitle: c.title,
      verdict: c.screening.verdict,
      matches: c.screening.matches,
      duplicates: c.screening.duplicates,
      missingFacts: c.missingFacts,
      passes: c.passes,
    });
  }
  const d1 = ctx.env.DB;
  const row = {
    id,
    merchantId: input.merchantId,
    mode: input.productIds ? ('chosen' as const) : ('random' as const),
    note: input.note,
    createdBy: staffId,
    idempotencyKey: idempotencyKey ?? null,
    createdAt: ctx.now,
  };
  try {
    await d1.batch([
      stmt(d1, ctx.db.insert(spotChecks).values(row)),
      ...items.map((it) => stmt(d1, ctx.db.insert(spotCheckItems).values(it))),
    ]);
  } catch (e) {
    // The same key raced us: its spot check is the answer.
    if (idempotencyKey && batchFailure(e) === 'unique') {
      const prior = await findByKey(ctx, staffId, idempotencyKey);
      if (prior) return { spotCheck: await getSpotCheck(ctx, prior), created: false };
    }
    throw e;
  }
  ctx.log.info('spot check created', { spotCheckId: id, merchantId: input.merchantId, items: items.length });
  return { spotCheck: await getSpotCheck(ctx, id), created: true };
}

async function findByKey(ctx: Ctx, staffId: string, key: string): Promise<string | null> {
  const [r] = await ctx.db
    .select({ id: spotChecks.id })
    .from(spotChecks)
    .where(and(eq(spotChecks.createdBy, staffId), eq(spotChecks.idempotencyKey, key)))
    .limit(1);
  return r?.id ?? null;
}

/** getSpotCheck: the items with their checks and each item's latest notice. */
export async function getSpotCheck(ctx: Ctx, id: string): Promise<SpotCheckDto> {
  assertOperator(ctx);
  const [sc] = await ctx.db.select().from(spotChecks).where(eq(spotChecks.id, id)).limit(1);
  if (!sc) throw notFound('compliance.spot_check_not_found', `spot check ${id}`);
  const items = await ctx.db.select().from(spotCheckItems).where(eq(spotCheckItems.spotCheckId, id));
  const notices = await ctx.db
    .select()
    .from(correctionNotices)
    .where(eq(correctionNotices.spotCheckId, id))
    .orderBy(desc(correctionNotices.createdAt));
  const latest = new Map<string, (typeof notices)[number]>();
  for (const n of notices) if (!latest.has(n.itemId)) latest.set(n.itemId, n);
  return {
    id: sc.id,
    merchantId: sc.merchantId,
    mode: sc.mode,
    note: sc.note,
    createdBy: sc.createdBy,
    createdAt: iso(sc.createdAt)!,
    items: items.map((it) => {
      const n = latest.get(it.id);
      return {
        id: it.id,
        productId: it.productId,
        productTitle: it.productTitle,
        verdict: it.verdict,
        matches: it.matches,
        duplicates: it.duplicates,
        missingFacts: it.missingFacts,
        passes: it.passes,
        notice: n ? noticeDto(ctx, n) : null,
      };
    }),
  };
}

/** listSpotChecks: newest first, with counts for the list page. */
export async function listSpotChecks(
  ctx: Ctx,
  q: { limit: number; cursor?: string; merchantId?: string },
): Promise<Page<SpotCheckSummaryDto>> {
  assertOperator(ctx);
  const rows = await ctx.db
    .select()
    .from(spotChecks)
    .where(and(q.merchantId ? eq(spotChecks.merchantId, q.merchantId) : undefined, olderThanCursor(spotChecks, decodeCursor(q.cursor))))
    .orderBy(desc(spotChecks.createdAt), desc(spotChecks.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: r.createdAt, id: r.id }));
  const ids = page.items.map((r) => r.id);
  const counts = new Map<string, { items: number; failing: number; open: number }>();
  if (ids.length) {
    const itemCounts = await ctx.db
      .select({ id: spotCheckItems.spotCheckId, n: sql<number>`count(*)`, failing: sql<number>`sum(${spotCheckItems.passes} = 0)` })
      .from(spotCheckItems)
      .where(inArray(spotCheckItems.spotCheckId, ids))
      .groupBy(spotCheckItems.spotCheckId);
    const open = await ctx.db
      .select({ id: correctionNotices.spotCheckId, n: sql<number>`count(*)` })
      .from(correctionNotices)
      .where(and(inArray(correctionNotices.spotCheckId, ids), inArray(correctionNotices.status, ['open', 'corrected', 'taken_down'])))
      .groupBy(correctionNotices.spotCheckId);
    for (const c of itemCounts) counts.set(c.id, { items: c.n, failing: c.failing ?? 0, open: 0 });
    for (const o of open) counts.get(o.id)!.open = o.n;
  }
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((r) => ({
      id: r.id,
      merchantId: r.merchantId,
      mode: r.mode,
      note: r.note,
      createdBy: r.createdBy,
      createdAt: iso(r.createdAt)!,
      itemCount: counts.get(r.id)?.items ?? 0,
      failingCount: counts.get(r.id)?.failing ?? 0,
      openNoticeCount: counts.get(r.id)?.open ?? 0,
    })),
  };
}

export async function getItemRow(ctx: Ctx, spotCheckId: string, itemId: string): Promise<ItemRow & { merchantId: string }> {
  const [row] = await ctx.db
    .select({ item: spotCheckItems, merchantId: spotChecks.merchantId })
    .from(spotCheckItems)
    .innerJoin(spotChecks, eq(spotChecks.id, spotCheckItems.spotCheckId))
    .where(and(eq(spotCheckItems.id, itemId), eq(spotCheckItems.spotCheckId, spotCheckId)))
    .limit(1);
  if (!row) throw notFound('compliance.item_not_found', `item ${itemId} of spot check ${spotCheckId}`);
  return { ...row.item, merchantId: row.merchantId };
}
