import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { notFound } from '../../shared/errors';
import { orderLines, orders } from './schema';
import type { OrderLineRow, OrderRow } from './orders.service';

/** Orders whose goods reached the shopper: the states in which a line may be reviewed. */
export const RECEIVED_STATUSES = ['delivered', 'completed'] as const;

/** When the goods reached the shopper: the carrier's delivery, else the confirmation of receipt. */
export const receivedAt = (o: Pick<OrderRow, 'deliveredAt' | 'completedAt'>): number | null => o.deliveredAt ?? o.completedAt ?? null;

/**
 * One order line with its order, for its own shopper only: someone else's line is 404
 * orders.line_not_found (ids must not be probeable), as is an unknown one.
 */
export async function shopperLineWithOrder(
  ctx: Ctx,
  userId: string,
  orderLineId: string,
): Promise<{ line: OrderLineRow; order: OrderRow }> {
  const [row] = await ctx.db
    .select({ line: orderLines, order: orders })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(eq(orderLines.id, orderLineId))
    .limit(1);
  if (!row || row.order.userId !== userId) throw notFound('orders.line_not_found', `order line ${orderLineId}`);
  return row;
}

/**
 * A shopper's lines of delivered or completed orders whose goods arrived at or after `since`,
 * newest first (the 待评价 list filters out those already reviewed).
 */
export async function receivedLinesSince(
  ctx: Ctx,
  userId: string,
  since: number,
  limit: number,
): Promise<{ line: OrderLineRow; order: OrderRow }[]> {
  return ctx.db
    .select({ line: orderLines, order: orders })
    .from(orders)
    .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
    .where(
      and(
        eq(orders.userId, userId),
        inArray(orders.status, [...RECEIVED_STATUSES]),
        sql`coalesce(${orders.deliveredAt}, ${orders.completedAt}) >= ${since}`,
      ),
    )
    .orderBy(desc(orders.createdAt), desc(orders.id), orderLines.id)
    .limit(limit);
}
