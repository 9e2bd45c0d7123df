import { eq } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { promotionSettings } from './schema';
import { DEFAULT_STACKING_POLICY, StackingPolicySchema, type StackingPolicy } from './stacking';

const CACHE_MS = 5_000;
let cached: { at: number; policy: StackingPolicy } | null = null;

const writerOf = (ctx: Ctx): string =>
  ctx.actor.kind === 'staff'
    ? ctx.actor.staffId
    : ctx.actor.kind === 'system'
      ? `system:${ctx.actor.name}`
      : ctx.actor.kind === 'user'
        ? ctx.actor.userId
        : 'anonymous';

/**
 * The stacking policy in force: the stored 'stacking' row merged over DEFAULT_STACKING_POLICY
 * key by key (a key added to the policy later takes its default; a stored value that no longer
 * validates falls back to the default). Cached per isolate for 5 s; callers get a frozen object.
 */
export async function getStackingPolicy(ctx: Ctx): Promise<StackingPolicy> {
  if (cached && ctx.now >= cached.at && ctx.now - cached.at < CACHE_MS) return cached.policy;
  const [row] = await ctx.db.select().from(promotionSettings).where(eq(promotionSettings.key, 'stacking')).limit(1);
  const merged: Record<string, unknown> = { ...DEFAULT_STACKING_POLICY };
  const shape = StackingPolicySchema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
  for (const [k, v] of Object.entries(row?.value ?? {})) if (shape[k]?.safeParse(v).success) merged[k] = v;
  const policy = Object.freeze(StackingPolicySchema.parse(merged));
  cached = { at: ctx.now, policy };
  return policy;
}

/** Replaces the whole stacking policy (in force in this isolate at once, in others within 5 s). */
export async function setStackingPolicy(ctx: Ctx, policy: StackingPolicy): Promise<StackingPolicy> {
  const value = StackingPolicySchema.parse(policy);
  const updatedBy = writerOf(ctx);
  await ctx.db
    .insert(promotionSettings)
    .values({ key: 'stacking', value, updatedBy, updatedAt: ctx.now })
    .onConflictDoUpdate({ target: promotionSettings.key, set: { value, updatedBy, updatedAt: ctx.now } });
  const frozen = Object.freeze({ ...value });
  cached = { at: ctx.now, policy: frozen };
  return frozen;
}

/** The policy in plain words for the storefront ("how discounts combine"). */
export function explainStackingPolicy(p: StackingPolicy): string[] {
  const out = ['优惠按顺序计算：会员价/限时折扣 → 满减/满折 → 店铺券 → 平台券 → 运费券；优惠券门槛按满减后的金额计算。'];
  out.push(p.memberPriceOrLimitedTime ? '会员价与限时折扣取更优的一个。' : '限时折扣在会员价基础上再打折。');
  if (p.limitedTimeExcludesFullReduction) out.push('限时折扣商品不参与满减/满折。');
  if (p.limitedTimeExcludesCoupons) out.push('限时折扣商品不可用券。');
  out.push(p.shopCouponsPerMerchant === 0 ? '暂不支持使用店铺券。' : `每个店铺最多使用${p.shopCouponsPerMerchant}张店铺券。`);
  out.push(
    p.platformCouponsPerOrder === 0
      ? '暂不支持使用平台券。'
      : `每笔订单最多使用${p.platformCouponsPerOrder}张平台券${p.platformWithShopCoupons ? '，可与店铺券同时使用' : '，且不可与店铺券同时使用'}。`,
  );
  if (p.shippingCouponsPerOrder > 0) out.push(`每笔订单最多使用${p.shippingCouponsPerOrder}张运费券，不占用商品券名额。`);
  return out;
}
