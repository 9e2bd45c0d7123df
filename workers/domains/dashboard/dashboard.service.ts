import type { Ctx } from '../../shared/context';
import { iso } from '../../shared/db';
import { merchantScope } from '../catalog/access';
import { listInventoryAlerts } from '../catalog/stock.service';
import { paidOrderTotals, paidOrdersByDay, pendingShipmentCount, refundTotals } from '../orders/stats.service';
import type { DashboardDto } from './dto';
import { shanghaiDayStart, shanghaiDay as shanghaiDate } from '../../shared/calendar';

const DAY = 86_400_000;
/** Asia/Shanghai is UTC+8 all year (no daylight saving): a local day starts at 16:00 UTC the day before. */
const SHANGHAI_OFFSET_MS = 8 * 3600_000;
/** Counting open alerts pages through the alerts list; past this many the figure is capped. */
const ALERT_COUNT_CAP = 1000;

export { shanghaiDayStart, shanghaiDay as shanghaiDate } from '../../shared/calendar';

async function openAlertCount(ctx: Ctx): Promise<number> {
  let n = 0;
  let cursor: string | undefined;
  do {
    const page = await listInventoryAlerts(ctx, { status: 'open', limit: 100, cursor });
    n += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor && n < ALERT_COUNT_CAP);
  return Math.min(n, ALERT_COUNT_CAP);
}

/**
 * getDashboard: today's figures (Asia/Shanghai day) and a daily GMV/orders series. Merchant staff
 * see only their own merchant's figures (the same scope as their lists); platform staff the whole.
 */
export async function getDashboard(ctx: Ctx, q: { days: number }): Promise<DashboardDto> {
  const merchantId = merchantScope(ctx);
  const todayStart = shanghaiDayStart(ctx.now);
  const today = { from: todayStart, to: todayStart + DAY, merchantId };
  const seriesFrom = todayStart - (q.days - 1) * DAY;
  const [paid, refunds, pendingShipments, lowStockAlerts, byDay] = await Promise.all([
    paidOrderTotals(ctx, today),
    refundTotals(ctx, today),
    pendingShipmentCount(ctx, merchantId),
    openAlertCount(ctx),
    paidOrdersByDay(ctx, { from: seriesFrom, to: todayStart + DAY, merchantId }, -SHANGHAI_OFFSET_MS),
  ]);
  const byStart = new Map(byDay.map((d) => [d.dayStart, d]));
  const series = Array.from({ length: q.days }, (_, i) => {
    const start = seriesFrom + i * DAY;
    const d = byStart.get(start);
    return { day: shanghaiDate(start), gmv: d?.gmv ?? 0, orders: d?.orders ?? 0 };
  });
  return {
    scope: { merchantId },
    timezone: 'Asia/Shanghai',
    day: shanghaiDate(ctx.now),
    today: {
      gmv: paid.gmv,
      paidOrders: paid.orders,
      payingShoppers: paid.shoppers,
      aov: paid.orders > 0 ? Math.round(paid.gmv / paid.orders) : 0,
      refunds,
    },
    pendingShipments,
    lowStockAlerts,
    series,
    generatedAt: iso(ctx.now)!,
  };
}
