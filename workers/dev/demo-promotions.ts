import type { Ctx } from '../shared/context';
import { AppError } from '../shared/errors';
import { encodePng } from './png';
import { findProductIdByTitle, getAdminProduct } from '../domains/catalog/products.service';
import { uploadMedia } from '../domains/media/media.service';
import { promotionIdByName } from '../domains/promotions/names';
import { CreatePromotionRuleInput } from '../domains/promotions/promotion-rules/dto';
import { createPromotionRule } from '../domains/promotions/promotion-rules/promotion-rules.service';
import { CreateCouponTemplateInput } from '../domains/promotions/coupons/dto';
import { createCouponTemplate } from '../domains/promotions/coupons/templates.service';
import { CreateLotteryInput } from '../domains/promotions/lottery/dto';
import { createLottery } from '../domains/promotions/lottery/lottery.service';
import { CreateCampaignInput } from '../domains/promotions/campaigns/dto';
import { createCampaign } from '../domains/promotions/campaigns/campaigns.service';
import { DEMO_PRODUCTS, TEA_MERCHANT } from './demo-seed-data';

const DAY = 86_400_000;
export const DEMO_CAMPAIGN = '双十一狂欢节';
const CUP_TITLE = '316不锈钢保温杯 大容量便携';

export interface DemoPromotionsResult {
  created: number;
  campaignId: string;
}

/**
 * Seeds the 双十一 demo: a platform 满减 (满199减30 / 满299减60), a 限时折扣 on the 保温杯, a new-user
 * pack (无门槛5元, 满99减15, 满199减40, 运费券), claimable 双十一 coupons (platform and 山野茶铺),
 * a lucky wheel (coupon, points, a 保温杯, 谢谢参与) and the campaign that groups them with two
 * banners and a popup. Each thing is looked up by name first, so a second run creates nothing.
 * The campaign runs from the seed time for 30 days so the demo is always live. Runs as the admin.
 */
export async function seedDemoPromotions(ctx: Ctx): Promise<DemoPromotionsResult> {
  let created = 0;
  const startsAt = new Date(ctx.now - 60_000).toISOString();
  const endsAt = new Date(ctx.now + 30 * DAY).toISOString();
  const once = async (kind: Parameters<typeof promotionIdByName>[1], name: string, make: () => Promise<string>) => {
    const existing = await promotionIdByName(ctx, kind, name);
    if (existing) return existing;
    created++;
    return make();
  };
  const parse = <T>(
    schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: unknown[] } } },
    v: unknown,
    what: string,
  ): T => {
    const r = schema.safeParse(v);
    if (!r.success) throw new AppError('dev.seed_data_invalid', 500, `demo promotion "${what}" does not validate`, r.error.issues);
    return r.data;
  };
  const rule = (v: Record<string, unknown>) =>
    once(
      'rule',
      v.name as string,
      async () => (await createPromotionRule(ctx, parse(CreatePromotionRuleInput, { startsAt, endsAt, ...v }, v.name as string))).rule.id,
    );
  const coupon = (v: Record<string, unknown>) =>
    once(
      'coupon_template',
      v.name as string,
      async () => (await createCouponTemplate(ctx, parse(CreateCouponTemplateInput, v, v.name as string))).id,
    );

  const cupMerchant = DEMO_PRODUCTS.find((p) => p.title === CUP_TITLE)?.merchantId;
  const cupId = cupMerchant ? await findProductIdByTitle(ctx, cupMerchant, CUP_TITLE) : null;
  if (!cupId) throw new AppError('dev.seed_order', 500, 'seed the demo shop before its promotions (the 保温杯 is missing)');
  const cup = await getAdminProduct(ctx, cupId);

  const fullReduction = await rule({
    kind: 'full_reduction',
    name: '双十一 满199减30/满299减60',
    scope: { type: 'all' },
    tiers: [
      { threshold: 19900, off: 3000 },
      { threshold: 29900, off: 6000 },
    ],
    priority: 10,
  });
  const flash = await rule({
    kind: 'limited_time',
    name: '双十一 保温杯限时8折',
    label: '限时8折',
    scope: { type: 'products', ids: [cupId] },
    rate: 80,
    priority: 10,
  });

  // New-user pack: evergreen (not part of the campaign), claimable for a year.
  const yearEnd = new Date(ctx.now + 365 * DAY).toISOString();
  const pack = {
    channels: ['new_user_pack'],
    validDays: 7,
    totalQuantity: 1_000_000,
    claimStartsAt: startsAt,
    claimEndsAt: yearEnd,
    scope: { type: 'all' },
  };
  await coupon({ ...pack, name: '新人专享 无门槛5元', kind: 'amount_off', amountOff: 500, packOrder: 1 });
  await coupon({ ...pack, name: '新人专享 满99减15', kind: 'amount_off', threshold: 9900, amountOff: 1500, packOrder: 2 });
  await coupon({ ...pack, name: '新人专享 满199减40', kind: 'amount_off', threshold: 19900, amountOff: 4000, packOrder: 3 });
  await coupon({ ...pack, name: '新人专享 运费券', kind: 'free_shipping', packOrder: 4 });

  const claimable = {
    channels: ['storefront'],
    validFrom: startsAt,
    validTo: endsAt,
    claimStartsAt: startsAt,
    claimEndsAt: endsAt,
    scope: { type: 'all' },
    perUserLimit: 1,
  };
  const platform300 = await coupon({
    ...claimable,
    name: '双十一 平台券 满300减50',
    kind: 'amount_off',
    threshold: 30000,
    amountOff: 5000,
    totalQuantity: 10_000,
  });
  const platform95 = await coupon({
    ...claimable,
    name: '双十一 平台券 9.5折 最高减30',
    kind: 'percent_off',
    rate: 95,
    maxOff: 3000,
    totalQuantity: 10_000,
  });
  const tea = await coupon({
    ...claimable,
    name: '山野茶铺 满100减10',
    merchantId: TEA_MERCHANT.id,
    kind: 'amount_off',
    threshold: 10000,
    amountOff: 1000,
    totalQuantity: 5_000,
  });
  const prizeCoupon = await coupon({
    channels: ['lottery'],
    validDays: 7,
    totalQuantity: 1_000,
    claimStartsAt: startsAt,
    claimEndsAt: endsAt,
    scope: { type: 'all' },
    name: '幸运转盘 无门槛10元',
    kind: 'amount_off',
    amountOff: 1000,
  });

  const goodsSku = cup.skus[0]!;
  const lottery = await once(
    'lottery',
    '双十一幸运大转盘',
    async () =>
      (
        await createLottery(
          ctx,
          parse(
            CreateLotteryInput,
            {
              name: '双十一幸运大转盘',
              description: '每天免费抽1次，之后每次50积分',
              startsAt,
              endsAt,
              freeDrawsPerDay: 1,
              pointsPerDraw: 50,
              budget: 200_000,
              prizes: [
                { name: '无门槛10元券', kind: 'coupon', couponTemplateId: prizeCoupon, weight: 20, stock: 1_000 },
                { name: '100积分', kind: 'points', points: 100, weight: 30, stock: 10_000 },
                { name: '316不锈钢保温杯', kind: 'goods', skuId: goodsSku.id, value: goodsSku.price, weight: 1, stock: 3 },
                { name: '谢谢参与', kind: 'none', weight: 49 },
              ],
            },
            '双十一幸运大转盘',
          ),
        )
      ).id,
  );

  const campaignId = await once('campaign', DEMO_CAMPAIGN, async () => {
    const [banner1, banner2] = await Promise.all([
      bannerImage(ctx, [214, 38, 52], [255, 140, 0]),
      bannerImage(ctx, [120, 20, 160], [230, 60, 110]),
    ]);
    return (
      await createCampaign(
        ctx,
        parse(
          CreateCampaignInput,
          {
            name: DEMO_CAMPAIGN,
            description: '全场满199减30、满299减60，平台券叠加，每日抽大奖',
            startsAt,
            endsAt,
            segment: { kind: 'all' },
            budget: 5_000_000,
            priority: 10,
            banners: [
              { imageUrl: banner1, title: '双十一 全场满199减30', link: '/pages/campaign/index' },
              { imageUrl: banner2, title: '幸运大转盘 每天免费抽', link: `/pages/lottery/index?id=${lottery}` },
            ],
            popup: { imageUrl: banner1, title: '双十一平台券 满300减50 限量领取', link: '/pages/coupons/index' },
            ruleIds: [fullReduction, flash],
            couponTemplateIds: [platform300, platform95, tea],
            lotteryIds: [lottery],
          },
          DEMO_CAMPAIGN,
        ),
      )
    ).campaign.id;
  });
  ctx.log.info('demo promotions seeded', { created, campaignId });
  return { created, campaignId };
}

/** A 750×300 diagonal gradient banner uploaded to R2; returns its /media path. */
async function bannerImage(ctx: Ctx, from: [number, number, number], to: [number, number, number]): Promise<string> {
  const w = 750;
  const h = 300;
  const png = await encodePng(w, h, (x, y) => {
    const t = (x / w + y / h) / 2;
    return [0, 1, 2].map((i) => Math.round(from[i]! + (to[i]! - from[i]!) * t)) as [number, number, number];
  });
  const media = await uploadMedia(ctx, { bytes: png, contentType: 'image/png', purpose: 'banner' });
  return `/media/${media.key}`;
}
