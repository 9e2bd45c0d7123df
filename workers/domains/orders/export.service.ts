import type { Ctx } from '../../shared/context';
import { fenToYuan } from '../../shared/money';
import { listAdminOrders } from './orders.service';
import type { AdminListOrdersQuery } from './dto';
import type { z } from '@hono/zod-openapi';

const EXPORT_MAX_ROWS = 5000;

const csvCell = (v: string | number | null) => {
  const s = v == null ? '' : String(v);
  // Quote every cell and neutralise formulas so a spreadsheet never executes order data.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
};

/** Orders matching the admin filters as CSV (UTF-8 with BOM so Excel reads Chinese), at most 5000 rows. */
export async function exportOrdersCsv(ctx: Ctx, q: Omit<z.infer<typeof AdminListOrdersQuery>, 'limit' | 'cursor'>): Promise<string> {
  const header = ['订单号', '订单ID', '商户', '状态', '商品金额', '优惠', '运费', '应付', '已付', '已退款', '件数', '下单时间'];
  const rows: string[] = [header.map(csvCell).join(',')];
  let cursor: string | undefined;
  do {
    const page = await listAdminOrders(ctx, { ...q, limit: 100, cursor });
    for (const o of page.items)
      rows.push(
        [
          o.orderNo,
          o.id,
          o.merchantId,
          o.status,
          fenToYuan(o.goodsTotal),
          fenToYuan(o.discountTotal),
          fenToYuan(o.shippingFee),
          fenToYuan(o.payableTotal),
          fenToYuan(o.paidTotal),
          fenToYuan(o.refundedTotal),
          o.itemCount,
          o.createdAt,
        ]
          .map(csvCell)
          .join(','),
      );
    cursor = page.nextCursor ?? undefined;
  } while (cursor && rows.length <= EXPORT_MAX_ROWS);
  return `\uFEFF${rows.join('\r\n')}\r\n`;
}
