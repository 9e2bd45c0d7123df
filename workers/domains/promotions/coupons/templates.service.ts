import { and, desc, eq, lte, sql } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { batchFailure } from '../../../shared/db';
import { AppError, badRequest, conflict, notFound } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import { decodeCursor, toPage, type Page, olderThanCursor } from '../../../shared/pagination';
import { getMerchant } from '../../merchants/merchants.service';
import { campaigns, couponTemplates } from '../schema';
import type { CouponTemplateDto, CreateCouponTemplateInput, ListCouponTemplatesQuery, UpdateCouponTemplateInput } from './dto';
import { toTemplateDto, type TemplateRow } from './views';

const DAY_MS = 86_400_000;
/** How long a validDays template can be claimed when the operator gives no claimEndsAt. */
const DEFAULT_CLAIM_DAYS = 30;

const actorId = (ctx: Ctx) =>
  ctx.actor.kind === 'staff' ? ctx.actor.staffId : ctx.actor.kind === 'system' ? `system:${ctx.actor.name}` : 'unknown';
const ms = (s: string | undefined) => (s === undefined ? null : Date.parse(s));

/** A template row, or 404 promotions.coupon_not_found. */
export async function templateRow(ctx: Ctx, templateId: string): Promise<TemplateRow> {
  const [t] = await ctx.db.select().from(couponTemplates).where(eq(couponTemplates.id, templateId)).limit(1);
  if (!t) throw notFound('promotions.coupon_not_found', `coupon template ${templateId}`);
  return t;
}

/**
 * createCouponTemplate: checks what zod cannot (the clock, the merchant and campaign exist, the
 * code is free) and stores the terms, which never change afterwards — coupons and orders point at them.
 */
export async function createCouponTemplate(ctx: Ctx, input: CreateCouponTemplateInput): Promise<CouponTemplateDto> {
  await getMerchant(ctx, input.merchantId);
  if (input.campaignId) {
    const [c] = await ctx.db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.id, input.campaignId)).limit(1);
    if (!c) throw notFound('promotions.campaign_not_found', `campaign ${input.campaignId}`);
  }
  const validFrom = ms(input.validFrom);
  const validTo = ms(input.validTo);
  if (validTo !== null && validTo <= ctx.now)
    throw badRequest('promotions.invalid_window', 'validTo is in the past: nobody could use this coupon', { path: 'validTo' });
  const claimStartsAt = ms(input.claimStartsAt) ?? ctx.now;
  const claimEndsAt = ms(input.claimEndsAt) ?? validTo ?? ctx.now + DEFAULT_CLAIM_DAYS * DAY_MS;
  if (claimEndsAt <= ctx.now)
    throw badRequest('promotions.invalid_window', 'claimEndsAt is in the past: nobody could claim this coupon', { path: 'claimEndsAt' });
  if (claimEndsAt <= claimStartsAt)
    throw badRequest('promotions.invalid_window', 'the claim window ends before it starts; give claimEndsAt', { path: 'claimEndsAt' });

  const row: TemplateRow = {
    id: newId('cpt'),
    merchantId: input.merchantId,
    name: input.name,
    kind: input.kind,
    threshold: input.threshold,
    amountOff: input.amountOff ?? null,
    rate: input.kind === 'percent_off' ? (input.rate ?? null) : null,
    maxOff: input.kind === 'percent_off' ? (input.maxOff ?? null) : null,
    scope: input.scope,
    validFrom,
    validTo,
    validDays: input.validDays ?? null,
    claimStartsAt,
    claimEndsAt,
    totalQuantity: input.totalQuantity,
    issuedCount: 0,
    usedCount: 0,
    perUserLimit: input.perUserLimit,
    channels: input.channels,
    code: input.code ?? null,
    packOrder: input.packOrder ?? null,
    campaignId: input.campaignId ?? null,
    status: 'active',
    createdBy: actorId(ctx),
    createdAt: ctx.now,
  };
  try {
    await ctx.db.insert(couponTemplates).values(row);
  } catch (e) {
    if (batchFailure(e) === 'unique')
      throw conflict('promotions.code_taken', `code ${row.code} is already used by another coupon`, { code: row.code });
    throw e;
  }
  return toTemplateDto(row);
}

/** listCouponTemplates: newest first, optionally by status and channel. */
export async function listCouponTemplates(ctx: Ctx, q: ListCouponTemplatesQuery): Promise<Page<CouponTemplateDto>> {
  const cur = decodeCursor(q.cursor);
  const rows = await ctx.db
    .select()
    .from(couponTemplates)
    .where(
      and(
        q.status ? eq(couponTemplates.status, q.status) : undefined,
        q.channel ? sql`exists (select 1 from json_each(${couponTemplates.channels}) where value = ${q.channel})` : undefined,
        olderThanCursor(couponTemplates, cur),
      ),
    )
    .orderBy(desc(couponTemplates.createdAt), desc(couponTemplates.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: r.createdAt, id: r.id }));
  return { items: page.items.map(toTemplateDto), nextCursor: page.nextCursor };
}

export async function getCouponTemplate(ctx: Ctx, templateId: string): Promise<CouponTemplateDto> {
  return toTemplateDto(await templateRow(ctx, templateId));
}

/**
 * updateCouponTemplate: enable/disable, or raise the total. Lowering is refused — coupons already
 * issued count against it — and the raise is guarded in SQL so a concurrent edit cannot lower it.
 */
export async function updateCouponTemplate(ctx: Ctx, templateId: string, input: UpdateCouponTemplateInput): Promise<CouponTemplateDto> {
  const t = await templateRow(ctx, templateId);
  const total = input.totalQuantity;
  if (total !== undefined && total < t.totalQuantity)
    throw badRequest('promotions.quantity_lowered', `totalQuantity can only go up (now ${t.totalQuantity}, ${t.issuedCount} issued)`, {
      path: 'totalQuantity',
    });
  const set: Partial<TemplateRow> = {};
  if (input.status) set.status = input.status;
  if (total !== undefined) set.totalQuantity = total;
  const res = await ctx.db
    .update(couponTemplates)
    .set(set)
    .where(and(eq(couponTemplates.id, templateId), total !== undefined ? lte(couponTemplates.totalQuantity, total) : undefined));
  if (total !== undefined && res.meta.changes === 0)
    throw new AppError('promotions.quantity_lowered', 409, 'totalQuantity was raised meanwhile; reload and retry');
  ctx.log.info('coupon template updated', { templateId, ...set });
  return toTemplateDto(await templateRow(ctx, templateId));
}
