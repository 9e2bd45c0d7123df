import type { Ctx } from '../shared/context';
import { batchFailure } from '../shared/db';
import { takeOffSaleStatements } from '../domains/catalog/product-compliance.service';
import { dueNotices, takeDownStatements, takedownReasonOf } from '../domains/compliance/notices.service';

/**
 * Cron: every correction notice (整改通知) still open at its deadline takes its product off sale,
 * exactly once. Per notice one D1 batch: a guard that the notice is still open and due, the
 * notice → taken_down, and the product → off_sale with the reason its merchant sees. D1 runs
 * batches one after another, so of two overlapping runs (or a retried minute) only the first
 * passes the guard; the others abort whole and change nothing.
 */
export async function takeDownOverdueProducts(ctx: Ctx): Promise<{ takenDown: number; skipped: number }> {
  let takenDown = 0;
  let skipped = 0;
  for (const n of await dueNotices(ctx)) {
    const reason = takedownReasonOf(n);
    const product = takeOffSaleStatements(ctx, n.productId, reason);
    try {
      await ctx.env.DB.batch([...takeDownStatements(ctx, n, reason), ...product.statements]);
    } catch (e) {
      if (batchFailure(e) === 'guard') {
        skipped++; // another run took it down, or the merchant corrected it, meanwhile
        continue;
      }
      throw e;
    }
    product.applied();
    takenDown++;
    ctx.log.info('overdue correction notice: product taken off sale', { noticeId: n.id, productId: n.productId });
  }
  return { takenDown, skipped };
}
