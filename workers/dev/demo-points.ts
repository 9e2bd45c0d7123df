// The demo's points programme (积分): the rules saved in the console, each demo shopper with a
// points history over the past year (check-ins, order rewards, reviews, a lucky draw, a service
// adjustment, some points that expire at the end of this month) and a stored balance, and one
// real order paid partly with points and balance through createOrder and the WeChat Pay sandbox —
// so 积分明细, 余额明细, the checkout's 积分抵扣 and the console's 积分/余额调整 show real data.
// Every entry has a fixed `demo:` ref and the order is looked up by its ledger spend, so a
// second run adds nothing.
import type { Ctx } from '../shared/context';
import { CreateOrderInput } from '../domains/orders/dto';
import { createOrder } from '../flows/checkout';
import { pointsEntryByRef, pointsEntryStatement } from '../domains/members/points.service';
import { walletEntryStatement } from '../domains/members/wallet/wallet.service';
import { getPointsRules, updatePointsRules } from '../domains/members/points/rules.service';
import { shanghaiMonthStart } from '../domains/members/points/expiry.service';
import { listWalletLedger } from '../domains/members/points/ledger.service';
import type { DemoShopper, ShopperKey } from './demo-shoppers';
import type { NotificationDeliver } from './wechatpay-sandbox';
import { payInSandbox } from './demo-payments';
import { demoSku, needStock } from './demo-catalog';
import { PLATFORM_MERCHANT } from './demo-seed-data';

const DAY = 86_400_000;

/** One points entry of a shopper's history: `at(now)` when it happened, what for. */
interface Grant {
  ref: string;
  delta: number;
  reason: string;
  note?: string;
  at: (now: number) => number;
}

const monthsAgo = (n: number, day: number) => (now: number) => shanghaiMonthStart(now, -n) + (day - 1) * DAY + 10 * 3_600_000;

const HISTORY: Record<ShopperKey, Grant[]> = {
  lin: [
    // Earned 12 months ago: expires at the end of this month unless spent (the 积分明细 warns).
    { ref: 'demo:lin:order-1', delta: 1280, reason: 'order', note: '订单完成奖励', at: monthsAgo(12, 8) },
    { ref: 'demo:lin:review-1', delta: 50, reason: 'review', at: monthsAgo(12, 12) },
    { ref: 'demo:lin:order-2', delta: 860, reason: 'order', note: '订单完成奖励', at: monthsAgo(7, 3) },
    { ref: 'demo:lin:lottery-1', delta: -100, reason: 'lottery_draw', note: '双十一幸运大转盘', at: monthsAgo(1, 11) },
    { ref: 'demo:lin:lottery-2', delta: 200, reason: 'lottery_prize', note: '抽中200积分', at: monthsAgo(1, 11) },
    { ref: 'demo:lin:checkin-1', delta: 5, reason: 'checkin', at: (now) => now - 3 * DAY },
    { ref: 'demo:lin:checkin-2', delta: 5, reason: 'checkin', at: (now) => now - 2 * DAY },
    { ref: 'demo:lin:checkin-3', delta: 20, reason: 'checkin', note: '连续签到3天', at: (now) => now - DAY },
  ],
  chen: [
    { ref: 'demo:chen:adjust-1', delta: 500, reason: 'adjust', note: '新会员礼', at: monthsAgo(5, 20) },
    { ref: 'demo:chen:order-1', delta: 2390, reason: 'order', note: '订单完成奖励', at: monthsAgo(3, 2) },
    { ref: 'demo:chen:review-1', delta: 50, reason: 'review', at: monthsAgo(3, 9) },
    { ref: 'demo:chen:adjust-2', delta: -200, reason: 'adjust', note: '重复发放收回', at: monthsAgo(2, 1) },
  ],
  wang: [
    { ref: 'demo:wang:order-1', delta: 3680, reason: 'order', note: '订单完成奖励', at: monthsAgo(9, 15) },
    { ref: 'demo:wang:review-1', delta: 100, reason: 'review', note: '图文评价', at: monthsAgo(9, 20) },
    { ref: 'demo:wang:checkin-1', delta: 5, reason: 'checkin', at: (now) => now - 5 * DAY },
  ],
};

/** Stored balance (fen) of each shopper: a service compensation. */
const BALANCE: Partial<Record<ShopperKey, { ref: string; fen: number; note: string }>> = {
  lin: { ref: 'demo:lin:wallet-1', fen: 5000, note: '售后补偿' },
  wang: { ref: 'demo:wang:wallet-1', fen: 3000, note: '物流延误补偿' },
};

/** Seeds the points demo; returns how many ledger entries and orders it created (0 on a re-run). */
export async function seedDemoPoints(ctx: Ctx, shoppers: Record<ShopperKey, DemoShopper>, deliver: NotificationDeliver): Promise<number> {
  let created = 0;
  // The console shows the rules as saved by an operator (the defaults: 100 积分 = ¥1, ≤ 50%, from 100, 12 months).
  if ((await getPointsRules(ctx)).updatedAt === null) {
    await updatePointsRules(ctx, { enabled: true, pointsPerYuan: 100, maxSharePercent: 50, minPoints: 100, expiryMonths: 12 });
    created++;
  }
  for (const [key, grants] of Object.entries(HISTORY) as [ShopperKey, Grant[]][]) {
    const userId = shoppers[key].userId;
    for (const g of grants) {
      if (await pointsEntryByRef(ctx, g.ref)) continue;
      const at = { ...ctx, now: g.at(ctx.now) };
      await ctx.env.DB.batch([pointsEntryStatement(at, { userId, delta: g.delta, reason: g.reason, ref: g.ref, note: g.note ?? null })]);
      created++;
    }
    const b = BALANCE[key];
    if (b) {
      const has = (await listWalletLedger(shoppers[key].ctx, { limit: 50 })).items.some((e) => e.ref === `adjust:${b.ref}`);
      if (!has) {
        await ctx.env.DB.batch([
          walletEntryStatement(
            { ...ctx, now: ctx.now - 20 * DAY },
            { userId, delta: b.fen, reason: 'adjust', ref: `adjust:${b.ref}`, note: b.note },
          ),
        ]);
        created++;
      }
    }
  }

  // Wang buys with points and balance (积分抵扣 + 余额), paid in the WeChat Pay sandbox: once ever.
  const wang = shoppers.wang;
  const spent = await ctx.env.DB.prepare("SELECT 1 FROM points_ledger WHERE user_id = ?1 AND reason = 'checkout' LIMIT 1")
    .bind(wang.userId)
    .first();
  if (!spent) {
    const p = await demoSku(ctx, PLATFORM_MERCHANT, '316不锈钢保温杯 大容量便携');
    needStock(p, 1);
    const input = CreateOrderInput.parse({
      items: [{ skuId: p.sku.id, quantity: 1 }],
      addressId: wang.addressId,
      buyerNote: '',
      usePoints: 'max',
      useBalance: true,
    });
    const order = await createOrder(wang.ctx, input, `demo-seed:points-order:${wang.userId}`);
    if (!order.replayed) await payInSandbox(wang.ctx, order.orders[0]!.id, deliver);
    created++;
  }
  return created;
}
