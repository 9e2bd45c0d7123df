// The demo's 限时秒杀 and 拼团: a flash sale that is live now, flash-sale rounds (场次) still to
// come, and two group-buy deals, each with a team a demo shopper opened and paid. All made through
// the admin's createFlashSale / createGroupBuy and the shoppers' openGroupBuyTeam / joinGroupBuyTeam
// and payment flows, so stock, the SKU's Durable Object and the payments agree.
//
// Re-running tops the set up relative to now instead of copying it: a sale's window is fixed in its
// SKU's Durable Object once configured (and there is no reschedule or cancel), so when the live
// sale has ended a new one starts now, and when no round is still to come the next three round
// slots after the last existing one are added — never two demo sales on one product at once.
import type { Ctx } from '../shared/context';
import { AppError } from '../shared/errors';
import { iso } from '../shared/db';
import { createFlashSale, listFlashSales } from '../domains/flash-sales/flash-sales.service';
import { CreateFlashSaleInput } from '../domains/flash-sales/dto';
import { createGroupBuy, listGroupBuys, listOpenTeams } from '../domains/group-buys/group-buys.service';
import { CreateGroupBuyInput, SeatInput } from '../domains/group-buys/dto';
import { shanghaiDayStart } from '../domains/dashboard/dashboard.service';
import { takeGroupBuySeat } from '../flows/group-buy-order';
import { PLATFORM_MERCHANT, TEA_MERCHANT } from './demo-seed-data';
import type { DemoShopper, ShopperKey } from './demo-shoppers';
import type { NotificationDeliver } from './wechatpay-sandbox';
import { afterwards, payInSandbox } from './demo-payments';
import { demoSku, needStock } from './demo-catalog';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Beijing times of the flash-sale rounds (场次), each two hours long. */
const ROUND_HOURS = [10, 14, 20];
const ROUND_MS = 2 * HOUR;

const LIVE_SALE = { merchantId: PLATFORM_MERCHANT, title: '真无线蓝牙耳机 主动降噪 长续航', allocated: 30, percent: 50 };
const ROUND_SALE = { merchantId: TEA_MERCHANT.id, title: '明前西湖龙井 特级 罐装', allocated: 10, percent: 60 };

interface DemoDeal {
  merchantId: string;
  title: string;
  groupSize: number;
  percent: number;
  leaderPercent?: number;
  allocated: number;
  /** Who opens the team and pays; then who joins and pays (leaving at least one seat free). */
  leader: ShopperKey;
  members: ShopperKey[];
}

const DEALS: DemoDeal[] = [
  {
    merchantId: PLATFORM_MERCHANT,
    title: '全棉四件套 简约纯色 床单被套',
    groupSize: 2,
    percent: 70,
    allocated: 20,
    leader: 'lin',
    members: [],
  },
  {
    merchantId: TEA_MERCHANT.id,
    title: '安溪铁观音 浓香型 乌龙茶',
    groupSize: 3,
    percent: 70,
    leaderPercent: 60,
    allocated: 30,
    leader: 'wang',
    members: ['chen'],
  },
];

export interface DemoDealsResult {
  /** Flash-sale pools created (a series of rounds counts each round). */
  flashSales: number;
  groupBuys: number;
  /** Teams opened (and paid) by demo shoppers. */
  teams: number;
}

/** A price `percent` of `price`, in whole yuan (integer fen), never above it. */
const pricedAt = (price: number, percent: number) => Math.min(price, Math.max(100, Math.floor((price * percent) / 100 / 100) * 100));

/** The next `n` round slots (Beijing 10:00, 14:00, 20:00) starting at or after `from`. */
function roundSlots(from: number, n: number): { startsAt: string; endsAt: string }[] {
  const out: { startsAt: string; endsAt: string }[] = [];
  for (let day = shanghaiDayStart(from); out.length < n; day += DAY)
    for (const h of ROUND_HOURS) {
      const start = day + h * HOUR;
      if (start >= from && out.length < n) out.push({ startsAt: iso(start)!, endsAt: iso(start + ROUND_MS)! });
    }
  return out;
}

const parse = <T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: unknown[] } } },
  v: unknown,
  what: string,
): T => {
  const r = schema.safeParse(v);
  if (!r.success) throw new AppError('dev.seed_data_invalid', 500, `demo ${what} does not validate`, r.error.issues);
  return r.data;
};

/** Runs as the admin (ctx); the shoppers open and join teams as themselves. */
export async function seedDemoDeals(
  ctx: Ctx,
  shoppers: Record<ShopperKey, DemoShopper>,
  deliver: NotificationDeliver,
): Promise<DemoDealsResult> {
  const result: DemoDealsResult = { flashSales: 0, groupBuys: 0, teams: 0 };
  const sales = (await listFlashSales(ctx)).items;

  // A sale that is live now (until three hours past the next full hour). It starts this minute:
  // an earlier one ended on a whole hour at or before now, so the two never overlap.
  const live = await demoSku(ctx, LIVE_SALE.merchantId, LIVE_SALE.title);
  if (!sales.some((s) => s.productId === live.productId && s.state === 'live')) {
    needStock(live, LIVE_SALE.allocated);
    const startsAt = Math.floor(ctx.now / MINUTE) * MINUTE;
    const endsAt = Math.ceil(ctx.now / HOUR) * HOUR + 3 * HOUR;
    await createFlashSale(
      ctx,
      parse(
        CreateFlashSaleInput,
        {
          skuId: live.sku.id,
          salePrice: pricedAt(live.sku.price, LIVE_SALE.percent),
          allocated: LIVE_SALE.allocated,
          perShopperLimit: 1,
          startsAt: iso(startsAt),
          endsAt: iso(endsAt),
        },
        'live flash sale',
      ),
    );
    result.flashSales++;
  }

  // Rounds to come: the next three slots at least half an hour away, after any round already there.
  const rounds = await demoSku(ctx, ROUND_SALE.merchantId, ROUND_SALE.title);
  const ofRounds = sales.filter((s) => s.productId === rounds.productId);
  if (!ofRounds.some((s) => s.state === 'upcoming')) {
    needStock(rounds, ROUND_SALE.allocated * ROUND_HOURS.length);
    const from = Math.max(ctx.now + 30 * MINUTE, ...ofRounds.map((s) => Date.parse(s.endsAt)));
    const created = await createFlashSale(
      ctx,
      parse(
        CreateFlashSaleInput,
        {
          skuId: rounds.sku.id,
          salePrice: pricedAt(rounds.sku.price, ROUND_SALE.percent),
          allocated: ROUND_SALE.allocated,
          perShopperLimit: 2,
          rounds: roundSlots(from, ROUND_HOURS.length),
        },
        'flash-sale rounds',
      ),
    );
    result.flashSales += created.rounds.length;
  }

  // Group buys: a live deal per product, and on it an open team (a demo shopper opened it and paid).
  const deals = (await listGroupBuys(ctx)).items;
  for (const d of DEALS) {
    const product = await demoSku(ctx, d.merchantId, d.title);
    const { sku } = product;
    let dealId = deals.find((x) => x.productId === product.productId && x.state === 'live')?.id;
    if (!dealId) {
      needStock(product, d.allocated);
      dealId = (
        await createGroupBuy(
          ctx,
          parse(
            CreateGroupBuyInput,
            {
              skuId: sku.id,
              groupPrice: pricedAt(sku.price, d.percent),
              leaderPrice: d.leaderPercent ? pricedAt(sku.price, d.leaderPercent) : undefined,
              groupSize: d.groupSize,
              allocated: d.allocated,
              perShopperLimit: 2,
              startsAt: iso(ctx.now - MINUTE),
              endsAt: iso(ctx.now + 14 * DAY),
            },
            `group buy ${d.title}`,
          ),
        )
      ).id;
      result.groupBuys++;
    }
    if ((await listOpenTeams(ctx, dealId)).length > 0) continue;
    await openTeam(ctx, dealId, d, shoppers, deliver);
    result.teams++;
  }
  return result;
}

/** The leader opens a team and pays (the team opens), then each member joins and pays. */
async function openTeam(
  ctx: Ctx,
  dealId: string,
  d: DemoDeal,
  shoppers: Record<ShopperKey, DemoShopper>,
  deliver: NotificationDeliver,
): Promise<void> {
  const leader = shoppers[d.leader];
  const seat = await takeGroupBuySeat(
    leader.ctx,
    { dealId },
    SeatInput.parse({ addressId: leader.addressId }),
    `demo-seed:team:${dealId}:${ctx.now}`,
  );
  await payInSandbox(leader.ctx, seat.order.orderId, deliver);
  for (const key of d.members) {
    const member = shoppers[key];
    // After the leader's payment, which WeChat's notification stamped with the real time.
    const joining = afterwards(member.ctx);
    const joined = await takeGroupBuySeat(
      joining,
      { teamId: seat.team.id },
      SeatInput.parse({ addressId: member.addressId }),
      `demo-seed:join:${seat.team.id}:${ctx.now}`,
    );
    await payInSandbox(joining, joined.order.orderId, deliver);
  }
  const open = await listOpenTeams(ctx, dealId);
  if (!open.some((t) => t.id === seat.team.id))
    throw new AppError('dev.seed_team_not_open', 500, `the demo team ${seat.team.id} did not open after its leader paid`);
}
