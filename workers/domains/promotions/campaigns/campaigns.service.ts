import { and, asc, desc, eq, gt, inArray, lt, lte, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { batchFailure, D1_IN_CHUNK, guard, inChunks, iso, stmt } from '../../../shared/db';
import { AppError, badRequest, conflict, notFound } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import { decodeCursor, toPage, type Page, olderThanCursor } from '../../../shared/pagination';
import { scheduleCondition, scheduleState, type ScheduleState } from '../../../shared/schedule';
import { flashSalesByIds } from '../../flash-sales/flash-sales.service';
import { actorLabel, invalidateActiveRules, keyedId, ruleLinks, rulesOfCampaign } from '../promotion-rules/promotion-rules.service';
import { campaigns, couponTemplates, lotteries } from '../schema';
import type { CampaignDetailDto, CampaignDto, CreateCampaignInput, HomeCampaignDto, ListCampaignsQuery, UpdateCampaignInput } from './dto';
import { assertSegmentExists, userInSegment } from './segments';

export type CampaignRow = typeof campaigns.$inferSelect;
export function toCampaignDto(c: CampaignRow, now: number): CampaignDto {
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    startsAt: iso(c.startsAt)!,
    endsAt: iso(c.endsAt)!,
    segment: c.segment,
    budget: c.budget,
    budgetUsed: c.budgetUsed,
    budgetRemaining: Math.max(0, c.budget - c.budgetUsed),
    banners: c.banners,
    popup: c.popup ?? null,
    flashSaleIds: c.flashSaleIds,
    priority: c.priority,
    status: c.status,
    state: scheduleState(c, now),
    createdBy: c.createdBy,
    createdAt: iso(c.createdAt)!,
  };
}

async function campaignRow(ctx: Ctx, id: string): Promise<CampaignRow> {
  const [row] = await ctx.db.select().from(campaigns).where(eq(campaigns.id, id)).limit(1);
  if (!row) throw notFound('promotions.campaign_not_found', `campaign ${id}`);
  return row;
}

/** id → current campaign link (null = unlinked) for the ids that exist. */
async function linksOf(ctx: Ctx, table: typeof couponTemplates | typeof lotteries, ids: string[]): Promise<Map<string, string | null>> {
  const rows = await inChunks(ids, D1_IN_CHUNK, (part) =>
    ctx.db.select({ id: table.id, campaignId: table.campaignId }).from(table).where(inArray(table.id, part)),
  );
  return new Map(rows.map((r) => [r.id, r.campaignId]));
}

/** Every id must exist (404 naming the missing ones) and must not already belong to a campaign (409). */
function checkLinks(kind: 'rule' | 'coupon_template' | 'lottery', ids: string[], found: Map<string, string | null>) {
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length)
    throw new AppError(`promotions.${kind}_not_found`, 404, `${kind.replace('_', ' ')} ${missing[0]} not found`, { ids: missing });
  const taken = ids.filter((id) => found.get(id));
  if (taken.length)
    throw conflict('promotions.already_in_campaign', `${kind.replace('_', ' ')} ${taken[0]} already belongs to a campaign`, {
      items: taken.map((id) => ({ id, campaignId: found.get(id) })),
    });
}

/**
 * createCampaign: checks every linked rule, coupon template, lottery and flash sale exists (404
 * otherwise, nothing written), then in one batch inserts the campaign and points the linked rows
 * at it. The guards make it all-or-nothing even if someone links the same row to another campaign
 * meanwhile: each UPDATE only takes unlinked rows and a count guard checks all of them were taken.
 * With an Idempotency-Key a retry returns the first campaign (`replayed: true`).
 */
export async function createCampaign(
  ctx: Ctx,
  input: CreateCampaignInput,
  idempotencyKey?: string,
): Promise<{ campaign: CampaignDetailDto; replayed: boolean }> {
  const id = idempotencyKey ? await keyedId(ctx, 'cmp', idempotencyKey) : newId('cmp');
  const replay = async () => {
    if (!idempotencyKey) return null;
    const [prev] = await ctx.db.select().from(campaigns).where(eq(campaigns.id, id)).limit(1);
    return prev ? { campaign: await campaignDetail(ctx, prev), replayed: true } : null;
  };
  const prev = await replay();
  if (prev) return prev;
  const startsAt = Date.parse(input.startsAt);
  const endsAt = Date.parse(input.endsAt);
  if (endsAt <= ctx.now) throw badRequest('promotions.already_ended', 'endsAt must be in the future');
  await assertSegmentExists(ctx, input.segment);
  const ruleIds = input.ruleIds ?? [];
  const templateIds = input.couponTemplateIds ?? [];
  const lotteryIds = input.lotteryIds ?? [];
  const saleIds = input.flashSaleIds ?? [];

  const [rules, templates, lots, sales] = await Promise.all([
    ruleIds.length ? ruleLinks(ctx, ruleIds) : new Map<string, string | null>(),
    templateIds.length ? linksOf(ctx, couponTemplates, templateIds) : new Map<string, string | null>(),
    lotteryIds.length ? linksOf(ctx, lotteries, lotteryIds) : new Map<string, string | null>(),
    flashSalesByIds(ctx, saleIds),
  ]);
  checkLinks('rule', ruleIds, rules);
  checkLinks('coupon_template', templateIds, templates);
  checkLinks('lottery', lotteryIds, lots);
  const saleSet = new Set(sales.map((s) => s.id));
  const missingSales = saleIds.filter((id) => !saleSet.has(id));
  if (missingSales.length)
    throw new AppError('promotions.flash_sale_not_found', 404, `flash sale ${missingSales[0]} not found`, { ids: missingSales });

  const row: CampaignRow = {
    id,
    name: input.name,
    description: input.description,
    startsAt,
    endsAt,
    segment: input.segment,
    budget: input.budget,
    budgetUsed: 0,
    banners: input.banners,
    popup: input.popup ?? null,
    flashSaleIds: saleIds,
    priority: input.priority,
    status: 'active',
    createdBy: actorLabel(ctx),
    createdAt: ctx.now,
  };
  const d1 = ctx.env.DB;
  const stmts: D1PreparedStatement[] = [stmt(d1, ctx.db.insert(campaigns).values(row))];
  const link = (table: 'promotion_rules' | 'coupon_templates' | 'lotteries', ids: string[]) => {
    if (ids.length === 0) return;
    // rules carry updated_at; ?2 is simply unused by the other tables
    const touch = table === 'promotion_rules' ? ', updated_at = ?2' : '';
    const marks = ids.map((_, i) => `?${i + 3}`).join(', ');
    stmts.push(
      d1
        .prepare(`UPDATE ${table} SET campaign_id = ?1${touch} WHERE campaign_id IS NULL AND id IN (${marks})`)
        .bind(row.id, ctx.now, ...ids),
    );
    stmts.push(guard(d1, `SELECT count(*) = ?2 FROM ${table} WHERE campaign_id = ?1`, row.id, ids.length));
  };
  link('promotion_rules', ruleIds);
  link('coupon_templates', templateIds);
  link('lotteries', lotteryIds);
  try {
    await d1.batch(stmts);
  } catch (e) {
    const kind = batchFailure(e);
    // the same key racing itself: the other request created it
    const raced = kind === 'unique' ? await replay() : null;
    if (raced) return raced;
    if (kind === 'guard')
      throw conflict('promotions.already_in_campaign', 'a linked item was linked to another campaign meanwhile; nothing was saved');
    throw e;
  }
  invalidateCampaignCaches();
  return { campaign: await campaignDetail(ctx, row), replayed: false };
}

async function campaignDetail(ctx: Ctx, c: CampaignRow): Promise<CampaignDetailDto> {
  const [rules, templates, lots, sales] = await Promise.all([
    rulesOfCampaign(ctx, c.id),
    ctx.db.select().from(couponTemplates).where(eq(couponTemplates.campaignId, c.id)).orderBy(asc(couponTemplates.createdAt)).limit(200),
    ctx.db.select().from(lotteries).where(eq(lotteries.campaignId, c.id)).orderBy(asc(lotteries.createdAt)).limit(200),
    flashSalesByIds(ctx, c.flashSaleIds),
  ]);
  return {
    ...toCampaignDto(c, ctx.now),
    rules: rules.map((r) => ({
      id: r.id,
      kind: r.kind,
      name: r.name,
      label: r.label,
      status: r.status,
      state: scheduleState(r, ctx.now),
      startsAt: iso(r.startsAt)!,
      endsAt: iso(r.endsAt)!,
    })),
    couponTemplates: templates.map((t) => ({
      id: t.id,
      name: t.name,
      kind: t.kind,
      status: t.status,
      issuedCount: t.issuedCount,
      totalQuantity: t.totalQuantity,
      claimStartsAt: iso(t.claimStartsAt)!,
      claimEndsAt: iso(t.claimEndsAt)!,
    })),
    lotteries: lots.map((l) => ({
      id: l.id,
      name: l.name,
      status: l.status,
      startsAt: iso(l.startsAt)!,
      endsAt: iso(l.endsAt)!,
      budget: l.budget,
      budgetUsed: l.budgetUsed,
    })),
    flashSales: c.flashSaleIds
      .map((id) => sales.find((s) => s.id === id))
      .filter((s) => s !== undefined)
      .map((s) => ({
        id: s.id,
        skuId: s.skuId,
        productId: s.productId,
        salePrice: s.salePrice,
        allocated: s.allocated,
        status: s.status,
        startsAt: iso(s.startsAt)!,
        endsAt: iso(s.endsAt)!,
      })),
  };
}

/** getCampaign: the campaign with its budget used/remaining and what is linked to it. */
export async function getCampaign(ctx: Ctx, id: string): Promise<CampaignDetailDto> {
  return campaignDetail(ctx, await campaignRow(ctx, id));
}

const stateCondition = (state: ScheduleState, now: number) => scheduleCondition(campaigns, state, now);

/** listCampaigns: newest first, by status or state. */
export async function listCampaigns(ctx: Ctx, q: ListCampaignsQuery): Promise<Page<CampaignDto>> {
  const cur = decodeCursor(q.cursor);
  const rows = await ctx.db
    .select()
    .from(campaigns)
    .where(
      and(
        q.status ? eq(campaigns.status, q.status) : undefined,
        q.state ? stateCondition(q.state, ctx.now) : undefined,
        olderThanCursor(campaigns, cur),
      ),
    )
    .orderBy(desc(campaigns.createdAt), desc(campaigns.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: r.createdAt, id: r.id }));
  return { items: page.items.map((r) => toCampaignDto(r, ctx.now)), nextCursor: page.nextCursor };
}

/**
 * updateCampaign: status, end, banners, popup, and the budget — raised only, because coupons and
 * discounts already granted against it cannot be taken back (the raise is guarded in SQL so a
 * concurrent raise is never undone). Segment and links are fixed once created.
 */
export async function updateCampaign(ctx: Ctx, id: string, input: UpdateCampaignInput): Promise<CampaignDetailDto> {
  const row = await campaignRow(ctx, id);
  const set: Partial<CampaignRow> = {};
  if (input.status) set.status = input.status;
  if (input.banners) set.banners = input.banners;
  if (input.popup !== undefined) set.popup = input.popup;
  if (input.endsAt !== undefined) {
    const endsAt = Date.parse(input.endsAt);
    if (endsAt <= row.startsAt)
      throw badRequest('promotions.invalid_window', 'endsAt must be after startsAt', { startsAt: iso(row.startsAt) });
    if (endsAt < ctx.now)
      throw badRequest('promotions.ends_in_past', 'endsAt must not be in the past (disable the campaign to stop it now)');
    set.endsAt = endsAt;
  }
  if (input.budget !== undefined) {
    if (input.budget < row.budget)
      throw badRequest('promotions.budget_lowered', `the budget can only be raised (now ${row.budget} fen)`, {
        budget: row.budget,
        budgetUsed: row.budgetUsed,
      });
    set.budget = input.budget;
  }
  const [updated] = await ctx.db
    .update(campaigns)
    .set(set)
    .where(and(eq(campaigns.id, id), input.budget !== undefined ? lte(campaigns.budget, input.budget) : undefined))
    .returning();
  if (!updated) throw conflict('promotions.budget_lowered', 'the budget was raised meanwhile past the new value; read it again');
  invalidateCampaignCaches();
  return campaignDetail(ctx, updated);
}

// ---------- storefront home ----------

/**
 * The home page asks on every visit and campaigns change rarely: each isolate keeps the campaigns
 * that could be live during the next 5 s, with their linked ids and windows, and filters by the
 * exact time per request. A write in this isolate drops it at once.
 */
const HOME_CACHE_MS = 5_000;
interface Window {
  id: string;
  from: number;
  to: number;
}
interface HomeEntry {
  row: CampaignRow;
  templates: Window[];
  lotteries: Window[];
  flashSales: Window[];
}
let homeCache: { at: number; entries: HomeEntry[] } | null = null;

/** Drops this isolate's cached campaign data (and the live rules, which depend on campaigns). */
export function invalidateCampaignCaches(): void {
  homeCache = null;
  invalidateActiveRules();
}

async function loadHomeEntries(ctx: Ctx): Promise<{ at: number; entries: HomeEntry[] }> {
  const at = ctx.now;
  const rows = await ctx.db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.status, 'active'), gt(campaigns.endsAt, at), lt(campaigns.startsAt, at + HOME_CACHE_MS)))
    .orderBy(desc(campaigns.priority), desc(campaigns.startsAt), asc(campaigns.id))
    .limit(50);
  if (rows.length === 0) return { at, entries: [] };
  const ids = rows.map((r) => r.id);
  const saleIds = rows.flatMap((r) => r.flashSaleIds);
  const [templates, lots, sales] = await Promise.all([
    ctx.db
      .select({
        id: couponTemplates.id,
        campaignId: couponTemplates.campaignId,
        from: couponTemplates.claimStartsAt,
        to: couponTemplates.claimEndsAt,
        channels: couponTemplates.channels,
        issued: couponTemplates.issuedCount,
        total: couponTemplates.totalQuantity,
      })
      .from(couponTemplates)
      .where(and(inArray(couponTemplates.campaignId, ids), eq(couponTemplates.status, 'active'), gt(couponTemplates.claimEndsAt, at)))
      .orderBy(asc(couponTemplates.createdAt), asc(couponTemplates.id)),
    ctx.db
      .select({ id: lotteries.id, campaignId: lotteries.campaignId, from: lotteries.startsAt, to: lotteries.endsAt })
      .from(lotteries)
      .where(and(inArray(lotteries.campaignId, ids), eq(lotteries.status, 'active'), gt(lotteries.endsAt, at)))
      .orderBy(asc(lotteries.createdAt), asc(lotteries.id)),
    flashSalesByIds(ctx, saleIds).then((list) =>
      list.filter((s) => s.status === 'active' && s.endsAt > at).map((s) => ({ id: s.id, from: s.startsAt, to: s.endsAt })),
    ),
  ]);
  // claimCoupon takes a template by id when it has the storefront or campaign channel
  const claimable = templates.filter((t) => t.issued < t.total && (t.channels.includes('storefront') || t.channels.includes('campaign')));
  return {
    at,
    entries: rows.map((row) => ({
      row,
      templates: claimable.filter((t) => t.campaignId === row.id),
      lotteries: lots.filter((l) => l.campaignId === row.id),
      flashSales: row.flashSaleIds.map((id) => sales.find((s) => s.id === id)).filter((s): s is Window => s !== undefined),
    })),
  };
}

/**
 * getHomeCampaign: the highest-priority active, live campaign whose segment includes the shopper
 * (an anonymous visitor is only in 'all'), with its banners, popup and what can be used right now:
 * claimable coupon templates, open lotteries, live or upcoming flash sales. `campaign` is null when
 * none applies.
 */
export async function getHomeCampaign(ctx: Ctx, userId: string | null): Promise<HomeCampaignDto> {
  const now = ctx.now;
  if (!homeCache || now < homeCache.at || now >= homeCache.at + HOME_CACHE_MS) homeCache = await loadHomeEntries(ctx);
  const live = homeCache.entries.filter((e) => e.row.startsAt <= now && now < e.row.endsAt);
  for (const e of live) {
    if (!(await userInSegment(ctx, userId, e.row.segment))) continue;
    const c = e.row;
    return {
      serverTime: iso(now)!,
      campaign: {
        id: c.id,
        name: c.name,
        description: c.description,
        startsAt: iso(c.startsAt)!,
        endsAt: iso(c.endsAt)!,
        banners: c.banners,
        popup: c.popup ?? null,
        couponTemplateIds: e.templates.filter((t) => t.from <= now && now < t.to).map((t) => t.id),
        lotteryIds: e.lotteries.filter((l) => l.from <= now && now < l.to).map((l) => l.id),
        flashSaleIds: e.flashSales.filter((s) => now < s.to).map((s) => s.id),
      },
    };
  }
  return { serverTime: iso(now)!, campaign: null };
}
