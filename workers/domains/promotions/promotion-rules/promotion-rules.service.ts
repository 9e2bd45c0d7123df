import { and, desc, eq, gt, inArray, lt, lte, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { batchFailure, D1_IN_CHUNK, guard, inChunks, iso, stmt } from '../../../shared/db';
import { AppError, badRequest, conflict, notFound } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import { fenToYuan } from '../../../shared/money';
import { decodeCursor, toPage, type Page, olderThanCursor } from '../../../shared/pagination';
import { PLATFORM_MERCHANT_ID } from '../../../shared/rbac';
import { scheduleCondition, scheduleState, type ScheduleState } from '../../../shared/schedule';
import { getSkuSnapshots } from '../../catalog/sku-snapshots.service';
import { getMerchant } from '../../merchants/merchants.service';
import { covers } from '../engine';
import { campaigns, promotionRules, type DiscountTier, type ReductionTier } from '../schema';
import type { CreatePromotionRuleInput, ListPromotionRulesQuery, PromotionRuleDto, UpdatePromotionRuleInput } from './dto';

/** A promotion_rules row (what the checkout turns into engine terms with `ruleTerms`). */
export type PromotionRuleRow = typeof promotionRules.$inferSelect;

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * The id a create with this Idempotency-Key gets: derived from (actor, what, key), so a retry
 * lands on the same primary key and finds the first result instead of creating a second row.
 */
export async function keyedId(ctx: Ctx, prefix: string, key: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${actorLabel(ctx)}\n${prefix}\n${key}`)));
  let out = '';
  for (const b of digest.subarray(0, 16)) out += ALPHABET[b & 31];
  return `${prefix}_${out}`;
}

/** Who wrote something, for created_by / updated_by columns. */
export function actorLabel(ctx: Ctx): string {
  const a = ctx.actor;
  if (a.kind === 'staff') return a.staffId;
  if (a.kind === 'user') return a.userId;
  if (a.kind === 'system') return `system:${a.name}`;
  return 'anonymous';
}

export function toRuleDto(r: PromotionRuleRow, now: number): PromotionRuleDto {
  return {
    id: r.id,
    merchantId: r.merchantId,
    kind: r.kind,
    name: r.name,
    label: r.label,
    scope: r.scope,
    basis: r.basis,
    tiers: r.tiers,
    repeat: r.repeat,
    cap: r.cap,
    rate: r.rate,
    prices: r.prices,
    priority: r.priority,
    campaignId: r.campaignId,
    startsAt: iso(r.startsAt)!,
    endsAt: iso(r.endsAt)!,
    status: r.status,
    state: scheduleState(r, now),
    createdBy: r.createdBy,
    createdAt: iso(r.createdAt)!,
    updatedAt: iso(r.updatedAt)!,
  };
}

// ---------- labels ----------

/** Fen as short yuan text for labels: 19900 → "199", 1990 → "19.9", 1999 → "19.99". */
export function yuanShort(amount: number): string {
  return fenToYuan(amount)
    .replace(/\.00$/, '')
    .replace(/(\.\d)0$/, '$1');
}
/** A pay rate as 折: 90 → "9", 88 → "8.8", 5 → "0.5". */
const zhe = (rate: number) => (rate % 10 === 0 ? String(rate / 10) : `${Math.floor(rate / 10)}.${rate % 10}`);

/** The label shoppers see when none is given: "满199减30/满299减60", "每满100减10 最高减50", "满2件9折", "限时8折". */
export function defaultLabel(input: CreatePromotionRuleInput): string {
  if (input.kind === 'limited_time') return input.rate !== undefined ? `限时${zhe(input.rate)}折` : '限时特价';
  const reach = (threshold: number) => (input.basis === 'quantity' ? `满${threshold}件` : `满${yuanShort(threshold)}`);
  if (input.kind === 'full_reduction') {
    if (input.repeat) {
      const t = input.tiers[0]!;
      const each =
        input.basis === 'quantity' ? `每满${t.threshold}件减${yuanShort(t.off)}` : `每满${yuanShort(t.threshold)}减${yuanShort(t.off)}`;
      return input.cap !== undefined ? `${each} 最高减${yuanShort(input.cap)}` : each;
    }
    return input.tiers.map((t) => `${reach(t.threshold)}减${yuanShort(t.off)}`).join('/');
  }
  return input.tiers.map((t) => `${reach(t.threshold)}${input.basis === 'quantity' ? '' : '享'}${zhe(t.rate)}折`).join('/');
}

// ---------- isolate cache of live rules ----------

/**
 * Checkout reads the live rules on every quote, and they change rarely: each isolate keeps the
 * candidates for a few seconds. The cache holds every rule that could be live at some instant of
 * its 5 s validity (with its campaign's state), and the exact window is applied per call, so a
 * rule still starts and ends on the millisecond. A write in this isolate drops it at once; other
 * isolates see changes within RULES_CACHE_MS (campaign budgets are guarded again in the order batch).
 */
const RULES_CACHE_MS = 5_000;
interface CampaignGate {
  status: 'active' | 'disabled';
  startsAt: number;
  endsAt: number;
  budget: number;
  budgetUsed: number;
}
let rulesCache: { at: number; rows: { rule: PromotionRuleRow; campaign: CampaignGate | null }[] } | null = null;

/** Drops this isolate's cached live rules (after a rule or campaign change). */
export function invalidateActiveRules(): void {
  rulesCache = null;
}

async function loadRuleCandidates(ctx: Ctx) {
  const at = ctx.now;
  const rows = await ctx.db
    .select({
      rule: promotionRules,
      campaign: {
        status: campaigns.status,
        startsAt: campaigns.startsAt,
        endsAt: campaigns.endsAt,
        budget: campaigns.budget,
        budgetUsed: campaigns.budgetUsed,
      },
    })
    .from(promotionRules)
    .leftJoin(campaigns, eq(campaigns.id, promotionRules.campaignId))
    .where(and(eq(promotionRules.status, 'active'), gt(promotionRules.endsAt, at), lt(promotionRules.startsAt, at + RULES_CACHE_MS)));
  return {
    at,
    rows: rows.map((r) => ({
      rule: r.rule,
      // a rule pointing at a campaign that is not there never applies (gate that always fails)
      campaign: r.rule.campaignId
        ? (r.campaign ?? { status: 'disabled' as const, startsAt: 0, endsAt: 0, budget: 0, budgetUsed: 0 })
        : null,
    })),
  };
}

/**
 * The price rules in force at `ctx.now`: status active and startsAt ≤ now < endsAt, and — for a
 * rule linked to a campaign — only while that campaign is active, live and has budget left
 * (budgetUsed < budget). Highest priority first, then id. Cached per isolate for 5 s.
 */
export async function activePromotionRules(ctx: Ctx): Promise<PromotionRuleRow[]> {
  const now = ctx.now;
  if (!rulesCache || now < rulesCache.at || now >= rulesCache.at + RULES_CACHE_MS) rulesCache = await loadRuleCandidates(ctx);
  return rulesCache.rows
    .filter(({ rule, campaign }) => {
      if (!(rule.startsAt <= now && now < rule.endsAt)) return false;
      if (!campaign) return true;
      return campaign.status === 'active' && campaign.startsAt <= now && now < campaign.endsAt && campaign.budgetUsed < campaign.budget;
    })
    .map(({ rule }) => rule)
    .sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

// ---------- admin ----------

async function getRuleRow(ctx: Ctx, id: string): Promise<PromotionRuleRow> {
  const [row] = await ctx.db.select().from(promotionRules).where(eq(promotionRules.id, id)).limit(1);
  if (!row) throw notFound('promotions.rule_not_found', `promotion rule ${id}`);
  return row;
}

/** Fixed 限时折扣 prices must name real SKUs the rule covers, each below its list price. */
async function checkLimitedTimePrices(ctx: Ctx, merchantId: string, input: Extract<CreatePromotionRuleInput, { kind: 'limited_time' }>) {
  const prices = input.prices ?? {};
  const ids = Object.keys(prices);
  if (ids.length === 0) return;
  const snaps = await getSkuSnapshots(ctx, ids);
  const missing = ids.filter((id) => !snaps.has(id));
  if (missing.length) throw new AppError('promotions.sku_not_found', 404, `SKU ${missing[0]} not found`, { skuIds: missing });
  const outside = ids.filter((id) => !covers(merchantId, input.scope, snaps.get(id)!, PLATFORM_MERCHANT_ID));
  if (outside.length)
    throw badRequest('promotions.price_outside_scope', "every SKU with a fixed price must be covered by the rule's merchant and scope", {
      skuIds: outside,
    });
  const notBelow = ids.filter((id) => prices[id]! >= snaps.get(id)!.price);
  if (notBelow.length)
    throw badRequest('promotions.price_not_below_list', "a 限时折扣 price must be below the SKU's list price", {
      skus: notBelow.map((id) => ({ skuId: id, price: prices[id], listPrice: snaps.get(id)!.price })),
    });
}

/**
 * createPromotionRule: validates what zod cannot (the merchant, the campaign and fixed-price SKUs
 * exist; the window is not over) and inserts the rule. Terms never change afterwards. With an
 * Idempotency-Key a retry returns the first rule (`replayed: true`) and creates nothing.
 */
export async function createPromotionRule(
  ctx: Ctx,
  input: CreatePromotionRuleInput,
  idempotencyKey?: string,
): Promise<{ rule: PromotionRuleDto; replayed: boolean }> {
  const id = idempotencyKey ? await keyedId(ctx, 'prr', idempotencyKey) : newId('prr');
  const replay = async () => {
    if (!idempotencyKey) return null;
    const [prev] = await ctx.db.select().from(promotionRules).where(eq(promotionRules.id, id)).limit(1);
    return prev ? { rule: toRuleDto(prev, ctx.now), replayed: true } : null;
  };
  const prev = await replay();
  if (prev) return prev;
  const startsAt = Date.parse(input.startsAt);
  const endsAt = Date.parse(input.endsAt);
  if (endsAt <= ctx.now) throw badRequest('promotions.already_ended', 'endsAt must be in the future');
  const merchantId = input.merchantId ?? PLATFORM_MERCHANT_ID;
  if (merchantId !== PLATFORM_MERCHANT_ID) await getMerchant(ctx, merchantId);
  if (input.campaignId) {
    const [c] = await ctx.db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.id, input.campaignId)).limit(1);
    if (!c) throw notFound('promotions.campaign_not_found', `campaign ${input.campaignId}`);
  }
  if (input.kind === 'limited_time') await checkLimitedTimePrices(ctx, merchantId, input);

  const row: PromotionRuleRow = {
    id,
    merchantId,
    kind: input.kind,
    name: input.name,
    label: input.label ?? defaultLabel(input),
    scope: input.scope,
    basis: input.kind === 'limited_time' ? 'amount' : input.basis,
    tiers: input.kind === 'limited_time' ? [] : (input.tiers as ReductionTier[] | DiscountTier[]),
    repeat: input.kind === 'full_reduction' ? input.repeat : false,
    cap: input.kind === 'full_reduction' ? (input.cap ?? null) : null,
    rate: input.kind === 'limited_time' ? (input.rate ?? null) : null,
    prices: input.kind === 'limited_time' ? (input.prices ?? null) : null,
    priority: input.priority,
    campaignId: input.campaignId ?? null,
    startsAt,
    endsAt,
    status: 'active',
    createdBy: actorLabel(ctx),
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  const d1 = ctx.env.DB;
  const stmts = [stmt(d1, ctx.db.insert(promotionRules).values(row))];
  // the campaign was read above; the guard keeps the link honest if it vanished meanwhile
  if (row.campaignId) stmts.push(guard(d1, 'SELECT count(*) = 1 FROM campaigns WHERE id = ?1', row.campaignId));
  try {
    await d1.batch(stmts);
  } catch (e) {
    const kind = batchFailure(e);
    if (kind === 'guard') throw notFound('promotions.campaign_not_found', `campaign ${row.campaignId}`);
    // the same key racing itself: the other request created it
    const raced = kind === 'unique' ? await replay() : null;
    if (raced) return raced;
    throw e;
  }
  invalidateActiveRules();
  return { rule: toRuleDto(row, ctx.now), replayed: false };
}

export async function getPromotionRule(ctx: Ctx, id: string): Promise<PromotionRuleDto> {
  return toRuleDto(await getRuleRow(ctx, id), ctx.now);
}

const stateCondition = (state: ScheduleState, now: number) => scheduleCondition(promotionRules, state, now);

/** listPromotionRules: newest first, filtered by kind / status / state / campaign. */
export async function listPromotionRules(ctx: Ctx, q: ListPromotionRulesQuery): Promise<Page<PromotionRuleDto>> {
  const cur = decodeCursor(q.cursor);
  const rows = await ctx.db
    .select()
    .from(promotionRules)
    .where(
      and(
        q.kind ? eq(promotionRules.kind, q.kind) : undefined,
        q.status ? eq(promotionRules.status, q.status) : undefined,
        q.state ? stateCondition(q.state, ctx.now) : undefined,
        q.campaignId ? eq(promotionRules.campaignId, q.campaignId) : undefined,
        olderThanCursor(promotionRules, cur),
      ),
    )
    .orderBy(desc(promotionRules.createdAt), desc(promotionRules.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: r.createdAt, id: r.id }));
  return { items: page.items.map((r) => toRuleDto(r, ctx.now)), nextCursor: page.nextCursor };
}

/**
 * updatePromotionRule: enable/disable, or move the end. The terms (tiers, rate, prices, scope,
 * start) are immutable because orders and receipts point at the rule; create a new rule instead.
 */
export async function updatePromotionRule(ctx: Ctx, id: string, input: UpdatePromotionRuleInput): Promise<PromotionRuleDto> {
  const row = await getRuleRow(ctx, id);
  const set: Partial<PromotionRuleRow> = { updatedAt: ctx.now };
  if (input.status) set.status = input.status;
  if (input.endsAt !== undefined) {
    const endsAt = Date.parse(input.endsAt);
    if (endsAt <= row.startsAt)
      throw badRequest('promotions.invalid_window', 'endsAt must be after startsAt', { startsAt: iso(row.startsAt) });
    if (endsAt < ctx.now) throw badRequest('promotions.ends_in_past', 'endsAt must not be in the past (disable the rule to stop it now)');
    set.endsAt = endsAt;
  }
  const [updated] = await ctx.db.update(promotionRules).set(set).where(eq(promotionRules.id, id)).returning();
  if (!updated) throw conflict('promotions.rule_changed', 'the rule changed meanwhile; try again');
  invalidateActiveRules();
  return toRuleDto(updated, ctx.now);
}

/** Rules linked to a campaign (for its detail view). */
export async function rulesOfCampaign(ctx: Ctx, campaignId: string): Promise<PromotionRuleRow[]> {
  return ctx.db
    .select()
    .from(promotionRules)
    .where(eq(promotionRules.campaignId, campaignId))
    .orderBy(desc(promotionRules.priority), promotionRules.id)
    .limit(200);
}

/** Which of the ids are rules, with their current campaign link (for linking them to a campaign). */
export async function ruleLinks(ctx: Ctx, ids: string[]): Promise<Map<string, string | null>> {
  const rows = await inChunks(ids, D1_IN_CHUNK, (part) =>
    ctx.db
      .select({ id: promotionRules.id, campaignId: promotionRules.campaignId })
      .from(promotionRules)
      .where(inArray(promotionRules.id, part)),
  );
  return new Map(rows.map((r) => [r.id, r.campaignId]));
}
