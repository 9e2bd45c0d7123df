// The demo shop's membership: the tier ladder with its perks, the earn rules, and the demo
// shoppers in different tiers with birthdays — so the member centre and the console show real data.
import type { Ctx } from '../shared/context';
import { AppError } from '../shared/errors';
import { shanghaiDay } from '../shared/calendar';
import { promotionIdByName } from '../domains/promotions/names';
import { CreateCouponTemplateInput } from '../domains/promotions/coupons/dto';
import { createCouponTemplate } from '../domains/promotions/coupons/templates.service';
import { CreateMemberTierInput } from '../domains/members/tiers/dto';
import { createMemberTier, listMemberTiers } from '../domains/members/tiers/tiers.service';
import { getGrowthSettingsView, updateGrowthSettings, DEFAULT_GROWTH_SETTINGS } from '../domains/members/tiers/settings.service';
import { adjustGrowth } from '../domains/members/tiers/growth.service';
import { grantBirthdayGift } from '../domains/members/tiers/cron.service';
import { getUser, updateMyProfile } from '../domains/users/users.service';
import type { DemoShopper, ShopperKey } from './demo-shoppers';

const DAY = 86_400_000;

/** Growth each demo shopper has, as if migrated from earlier orders, and their birthday. */
const DEMO_MEMBERS: Record<ShopperKey, { growth: number; birthday: (today: string) => string }> = {
  // 林晓: 金卡, born today — the member centre shows her birthday coupon.
  lin: { growth: 2680, birthday: (today) => `1993-${today.slice(5)}` },
  // 陈一鸣: 钻石
  chen: { growth: 8600, birthday: () => '1988-09-12' },
  // 王芳: 银卡, on her way to 金卡
  wang: { growth: 720, birthday: () => '1996-02-29' },
};

/**
 * Seeds the tiers (普通 0 · 银卡 500 · 金卡 2000 · 钻石 8000 with discounts, free shipping, points
 * multipliers, birthday gifts and service priority), saves the earn rules if they never were, and
 * puts the demo shoppers in different tiers through growth adjustments (ref `demo-seed`, so a
 * second run adds nothing) with birthdays (set once). Each tier and coupon is looked up by name
 * first. Returns how many things it created.
 */
export async function seedDemoTiers(ctx: Ctx, shoppers: Record<ShopperKey, DemoShopper>): Promise<number> {
  let created = 0;
  const couponOnce = async (v: Record<string, unknown>) => {
    const name = v.name as string;
    const existing = await promotionIdByName(ctx, 'coupon_template', name);
    if (existing) return existing;
    const parsed = CreateCouponTemplateInput.safeParse(v);
    if (!parsed.success) throw new AppError('dev.seed_data_invalid', 500, `demo coupon "${name}" does not validate`, parsed.error.issues);
    created++;
    return (await createCouponTemplate(ctx, parsed.data)).id;
  };
  const gift = {
    kind: 'amount_off',
    validDays: 30,
    totalQuantity: 1_000_000,
    channels: ['member_perk'],
    claimEndsAt: new Date(ctx.now + 3650 * DAY).toISOString(),
    scope: { type: 'all' },
  };
  const goldGift = await couponOnce({ ...gift, name: '金卡生日礼券 满100减20', threshold: 10000, amountOff: 2000 });
  const diamondGift = await couponOnce({ ...gift, name: '钻石生日礼券 满200减50', threshold: 20000, amountOff: 5000 });

  const ladder = [
    { name: '普通会员', rank: 0, threshold: 0, iconName: 'leaf', iconColor: '#8c8c8c', perks: {} },
    {
      name: '银卡会员',
      rank: 1,
      threshold: 500,
      iconName: 'medal',
      iconColor: '#8a9bb0',
      perks: { pointsMultiplier: 120, birthdayGift: { kind: 'points', points: 200 } },
    },
    {
      name: '金卡会员',
      rank: 2,
      threshold: 2000,
      iconName: 'crown',
      iconColor: '#d4a017',
      perks: {
        discountRate: 98,
        freeShippingThreshold: 5900,
        pointsMultiplier: 150,
        birthdayGift: { kind: 'coupon', couponTemplateId: goldGift },
        supportPriority: 1,
      },
    },
    {
      name: '钻石会员',
      rank: 3,
      threshold: 8000,
      iconName: 'diamond',
      iconColor: '#5b6cf9',
      perks: {
        memberPrice: true,
        discountRate: 95,
        freeShippingThreshold: 0,
        pointsMultiplier: 200,
        birthdayGift: { kind: 'coupon', couponTemplateId: diamondGift },
        supportPriority: 5,
      },
    },
  ];
  const have = new Set((await listMemberTiers(ctx, 'all')).items.map((t) => t.name));
  for (const t of ladder) {
    if (have.has(t.name)) continue;
    const parsed = CreateMemberTierInput.safeParse(t);
    if (!parsed.success) throw new AppError('dev.seed_data_invalid', 500, `demo tier "${t.name}" does not validate`, parsed.error.issues);
    await createMemberTier(ctx, parsed.data);
    created++;
  }
  if ((await getGrowthSettingsView(ctx)).updatedAt === null) {
    await updateGrowthSettings(ctx, DEFAULT_GROWTH_SETTINGS);
    created++;
  }

  const today = shanghaiDay(ctx.now);
  for (const [key, m] of Object.entries(DEMO_MEMBERS) as [ShopperKey, (typeof DEMO_MEMBERS)[ShopperKey]][]) {
    const s = shoppers[key];
    const r = await adjustGrowth(ctx, s.userId, { delta: m.growth, reason: '历史消费迁移（演示数据）', ref: `demo-seed-${key}` });
    if (!r.replayed) created++;
    if ((await getUser(ctx, s.userId)).birthday === null) await updateMyProfile(s.ctx, s.userId, { birthday: m.birthday(today) });
  }
  // Today's birthday: the cron's run for today may be over already, so grant it here (once a year anyway).
  await grantBirthdayGift(ctx, shoppers.lin.userId, Number(today.slice(0, 4)));
  return created;
}
