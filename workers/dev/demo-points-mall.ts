import type { Ctx } from '../shared/context';
import { AppError } from '../shared/errors';
import { batchFailure } from '../shared/db';
import { findProductIdByTitle, getAdminProduct } from '../domains/catalog/products.service';
import { promotionIdByName } from '../domains/promotions/names';
import { CreateCouponTemplateInput } from '../domains/promotions/coupons/dto';
import { createCouponTemplate } from '../domains/promotions/coupons/templates.service';
import { pointsEntryStatement } from '../domains/members/points.service';
import { CreatePointsMallItemInput, RedeemPointsMallItemInput } from '../domains/members/mall/dto';
import { createPointsMallItem, mallItemIdByTitle } from '../domains/members/mall/items.service';
import { redeemPointsMallItem } from '../flows/points-mall-redeem';
import { DEMO_PRODUCTS } from './demo-seed-data';
import type { DemoShopper, ShopperKey } from './demo-shoppers';

const DAY = 86_400_000;
const LOTTERY = '双十一幸运大转盘';
/** Points each demo shopper is given once to spend in the mall. */
const DEMO_POINTS: Record<ShopperKey, number> = { lin: 5000, chen: 2000, wang: 800 };

/**
 * The points mall (积分商城) of the demo shop: goods (points only, and points + cash), coupons and
 * lottery chances, each looked up by title first so a second run creates nothing; the demo
 * shoppers' points (ledger refs `demo:mall-points:<shopper>`, granted once) and one exchange by 林晓
 * (a fixed Idempotency-Key, so a re-run replays it). Runs after the catalogue and promotions.
 */
export async function seedDemoPointsMall(ctx: Ctx, shoppers: Record<ShopperKey, DemoShopper>): Promise<{ items: number }> {
  let items = 0;
  const yearEnd = new Date(ctx.now + 365 * DAY).toISOString();
  const item = async (v: Record<string, unknown>) => {
    const title = v.title as string;
    const existing = await mallItemIdByTitle(ctx, title);
    if (existing) return existing;
    const parsed = CreatePointsMallItemInput.safeParse(v);
    if (!parsed.success)
      throw new AppError('dev.seed_data_invalid', 500, `demo points-mall item "${title}" does not validate`, parsed.error.issues);
    items++;
    return (await createPointsMallItem(ctx, parsed.data)).id;
  };
  const template = async (v: Record<string, unknown>) => {
    const existing = await promotionIdByName(ctx, 'coupon_template', v.name as string);
    if (existing) return existing;
    const parsed = CreateCouponTemplateInput.safeParse(v);
    if (!parsed.success)
      throw new AppError('dev.seed_data_invalid', 500, `demo coupon "${String(v.name)}" does not validate`, parsed.error.issues);
    return (await createCouponTemplate(ctx, parsed.data)).id;
  };
  const skuOf = async (title: string) => {
    const p = DEMO_PRODUCTS.find((d) => d.title === title);
    const id = p ? await findProductIdByTitle(ctx, p.merchantId, title) : null;
    if (!id) throw new AppError('dev.seed_order', 500, `seed the demo shop before its points mall (${title} is missing)`);
    return (await getAdminProduct(ctx, id)).skus[0]!.id;
  };

  const coupon = {
    channels: ['points_mall'],
    validDays: 15,
    totalQuantity: 100_000,
    claimStartsAt: new Date(ctx.now - 60_000).toISOString(),
    claimEndsAt: yearEnd,
    scope: { type: 'all' },
  };
  const c10 = await template({ ...coupon, name: '积分兑换 无门槛10元', kind: 'amount_off', amountOff: 1000 });
  const c20 = await template({ ...coupon, name: '积分兑换 满99减20', kind: 'amount_off', threshold: 9900, amountOff: 2000 });
  const ship = await template({ ...coupon, name: '积分兑换 运费券', kind: 'free_shipping' });

  const coupon10 = await item({
    kind: 'coupon',
    title: '无门槛10元券',
    description: '兑换后放入「我的优惠券」，15天内有效，全场通用。',
    pointsPrice: 500,
    stock: 1000,
    couponTemplateId: c10,
    limitPerUser: 2,
    limitPeriod: 'day',
    sortOrder: 1,
  });
  await item({
    kind: 'coupon',
    title: '满99减20优惠券',
    pointsPrice: 800,
    stock: 500,
    couponTemplateId: c20,
    limitPerUser: 3,
    sortOrder: 2,
  });
  await item({ kind: 'coupon', title: '运费券（包邮一次）', pointsPrice: 200, stock: 2000, couponTemplateId: ship, sortOrder: 3 });
  await item({
    kind: 'goods',
    title: '316不锈钢保温杯（积分+现金）',
    description: '1500积分 + ¥29.90 即可带走，包邮到家。',
    pointsPrice: 1500,
    cashPrice: 2990,
    stock: 50,
    skuId: await skuOf('316不锈钢保温杯 大容量便携'),
    limitPerUser: 1,
    sortOrder: -10,
  });
  await item({
    kind: 'goods',
    title: '迷你口袋保温杯（纯积分）',
    description: '纯积分兑换，包邮到家。',
    pointsPrice: 3000,
    stock: 20,
    skuId: await skuOf('迷你口袋保温杯 200ml 轻巧随身'),
    limitPerUser: 1,
    sortOrder: -9,
  });
  const lotteryId = await promotionIdByName(ctx, 'lottery', LOTTERY);
  if (lotteryId)
    await item({
      kind: 'lottery_chance',
      title: '幸运大转盘 抽奖机会×3',
      description: `兑换后获得3次「${LOTTERY}」抽奖机会，免费次数用完后使用。`,
      pointsPrice: 100,
      stock: 10_000,
      lotteryId,
      chances: 3,
      limitPerUser: 5,
      limitPeriod: 'day',
      sortOrder: 5,
    });

  // Points to spend, once per shopper.
  for (const [key, s] of Object.entries(shoppers) as [ShopperKey, DemoShopper][]) {
    try {
      await ctx.env.DB.batch([
        pointsEntryStatement(ctx, { userId: s.userId, delta: DEMO_POINTS[key], reason: 'demo_grant', ref: `demo:mall-points:${key}` }),
      ]);
    } catch (e) {
      if (batchFailure(e) !== 'unique') throw e;
    }
  }
  // 林晓 has exchanged a coupon already (兑换记录 is not empty); a re-run replays the same exchange.
  await redeemPointsMallItem(shoppers.lin.ctx, coupon10, RedeemPointsMallItemInput.parse({}), 'demo-mall-lin-coupon10').catch(
    (e: unknown) => {
      // The day's limit or an emptied balance after staff changes: the demo goes on without it.
      if (!(e instanceof AppError) || e.status >= 500) throw e;
    },
  );
  return { items };
}
