// Coupon packs another domain grants to one shopper (members' 专属回归礼包), and what became of
// coupons by id. Members keeps which coupons it granted; promotions keeps the coupons.
import { eq, inArray } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { batchFailure, D1_IN_CHUNK, inChunks } from '../../../shared/db';
import { badRequest } from '../../../shared/errors';
import { couponTemplates, userCoupons } from '../schema';
import { couponByGrant, issueCouponStatements } from './issue';
import { couponLabel, couponStatus } from './views';

export interface PackTemplateInfo {
  id: string;
  name: string;
  /** "满199减30" */
  label: string;
  status: 'active' | 'disabled';
  expired: boolean;
}

/**
 * Checks templates an operator puts in a targeted pack: they exist, are active, not expired, and
 * staff may issue them (channel 定向发放 'segment'). 400 promotions.bad_pack_template naming the first that is not.
 */
export async function checkPackTemplates(ctx: Ctx, templateIds: string[]): Promise<PackTemplateInfo[]> {
  const infos = await packTemplateInfo(ctx, templateIds);
  for (const id of templateIds) {
    const t = infos.find((i) => i.id === id);
    if (!t) throw badRequest('promotions.bad_pack_template', `coupon template ${id} does not exist`, { templateId: id });
    if (t.status !== 'active' || t.expired)
      throw badRequest('promotions.bad_pack_template', `coupon template ${id} is disabled or expired`, { templateId: id });
  }
  const rows = await ctx.db
    .select({ id: couponTemplates.id, channels: couponTemplates.channels })
    .from(couponTemplates)
    .where(inArray(couponTemplates.id, templateIds));
  for (const r of rows)
    if (!r.channels.includes('segment'))
      throw badRequest(
        'promotions.bad_pack_template',
        `coupon template ${r.id} cannot be issued by staff: add the 定向发放 (segment) channel`,
        {
          templateId: r.id,
        },
      );
  return infos;
}

/** Name, face and state of the given templates (unknown ids are absent). */
export async function packTemplateInfo(ctx: Ctx, templateIds: string[]): Promise<PackTemplateInfo[]> {
  const rows = await inChunks(templateIds, D1_IN_CHUNK, (part) =>
    ctx.db.select().from(couponTemplates).where(inArray(couponTemplates.id, part)),
  );
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    label: couponLabel(t),
    status: t.status,
    expired: t.validTo !== null && t.validTo <= ctx.now,
  }));
}

export interface PackGrantResult {
  /** coupons the shopper holds under this grant (issued now or by an earlier attempt) */
  couponIds: string[];
  /** templates that could not be issued, with why */
  refused: { templateId: string; reason: 'sold_out' | 'disabled_or_budget' | 'not_found' }[];
}

/**
 * Issues one coupon of each template to the shopper under `grantKey` + template id (unique per
 * shopper), channel 'segment', ignoring the per-shopper claim limit (a pack is a gift, not a
 * claim). Idempotent: a repeat finds the coupons the first attempt issued. One batch per template,
 * so a sold-out template does not stop the others.
 */
export async function grantTargetedPack(ctx: Ctx, userId: string, templateIds: string[], grantKey: string): Promise<PackGrantResult> {
  const out: PackGrantResult = { couponIds: [], refused: [] };
  for (const templateId of templateIds) {
    const key = `${grantKey}:${templateId}`;
    const prior = await couponByGrant(ctx, userId, key);
    if (prior) {
      out.couponIds.push(prior.id);
      continue;
    }
    const [t] = await ctx.db.select().from(couponTemplates).where(eq(couponTemplates.id, templateId)).limit(1);
    if (!t) {
      out.refused.push({ templateId, reason: 'not_found' });
      continue;
    }
    const { couponId, stmts } = issueCouponStatements(ctx, t, { userId, channel: 'segment', grantKey: key, enforcePerUserLimit: false });
    try {
      await ctx.env.DB.batch(stmts);
      out.couponIds.push(couponId);
    } catch (e) {
      const kind = batchFailure(e);
      if (kind === null) throw e;
      const again = await couponByGrant(ctx, userId, key);
      if (again) out.couponIds.push(again.id);
      else out.refused.push({ templateId, reason: kind === 'check' ? 'sold_out' : 'disabled_or_budget' });
    }
  }
  return out;
}

export interface CouponBrief {
  id: string;
  userId: string;
  templateId: string;
  name: string;
  /** 'available' | 'used' | 'expired' */
  status: 'available' | 'used' | 'expired';
  validTo: number;
  usedAt: number | null;
}

/** The given coupons (unknown ids are absent): for a report on coupons another domain granted. */
export async function couponsByIds(ctx: Ctx, couponIds: string[]): Promise<CouponBrief[]> {
  const rows = await inChunks(couponIds, D1_IN_CHUNK, (part) =>
    ctx.db
      .select({ c: userCoupons, name: couponTemplates.name })
      .from(userCoupons)
      .innerJoin(couponTemplates, eq(couponTemplates.id, userCoupons.templateId))
      .where(inArray(userCoupons.id, part)),
  );
  return rows.map(({ c, name }) => ({
    id: c.id,
    userId: c.userId,
    templateId: c.templateId,
    name,
    status: couponStatus(c, ctx.now) as CouponBrief['status'],
    validTo: c.validTo,
    usedAt: c.usedAt,
  }));
}
