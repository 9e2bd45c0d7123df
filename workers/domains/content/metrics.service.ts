import { gte } from 'drizzle-orm';
import { shanghaiDay } from '../../shared/calendar';
import type { Ctx } from '../../shared/context';
import { D1_IN_CHUNK, inChunks } from '../../shared/db';
import { badRequest } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { enforceRateLimit } from '../../shared/rate-limit';
import { orderLinesOf } from '../orders/orders.service';
import { paidOrdersOfUsersSince } from '../orders/member-stats';
import type { ContentEventInput } from './dto';
import { parseList } from './rows';
import { contentTouches } from './schema';
import { liveContentRow } from './store.service';

/** An order of a touched product counts for the content if paid within this long after the touch. */
export const ATTRIBUTION_WINDOW_MS = 7 * 86_400_000;

const PAIRS_PER_BATCH = 50;
const COLUMN = { view: 'views', click: 'clicks', share: 'shares' } as const;

/**
 * The storefront reports what a shopper (or, signed out, a device) did with a public content.
 * Each (content, shopper/device, kind, product, Beijing day) counts once — a repeated report, or a
 * burst of them, changes nothing; a dwell keeps the longest time reported that day (the rollup
 * adds only the difference). A signed-in shopper's view touches the content's products and a
 * click the product clicked, for order attribution. Rate-limited per shopper/device.
 */
export async function recordContentEvent(
  ctx: Ctx,
  contentId: string,
  input: ContentEventInput,
): Promise<{ counted: boolean; day: string }> {
  const userId = ctx.actor.kind === 'user' ? ctx.actor.userId : null;
  if (!userId && !input.deviceId) throw badRequest('content.subject_required', 'sign in or send a deviceId');
  const subject = userId ? `u:${userId}` : `d:${input.deviceId}`;
  await enforceRateLimit(ctx.env.CONTENT_EVENT_LIMITER, subject, 'content.events_rate_limited', 'too many content events; slow down');
  const row = await liveContentRow(ctx, contentId);
  const products = parseList(row.productIds);
  if (input.kind === 'click' && !products.includes(input.productId!))
    throw badRequest('content.product_not_in_article', 'that product is not on this content', { productId: input.productId });

  const db = ctx.env.DB;
  const day = shanghaiDay(ctx.now);
  const ref = input.kind === 'click' ? input.productId! : '';
  const eventId = newId('cev');
  const key = `content_id = ?1 AND subject = ?2 AND kind = ?3 AND ref = ?4 AND day = ?5`;
  const keyArgs = [contentId, subject, input.kind, ref, day];
  const stmts: D1PreparedStatement[] = [
    db.prepare(`INSERT INTO content_metrics_daily (content_id, day) VALUES (?1, ?2) ON CONFLICT DO NOTHING`).bind(contentId, day),
    db
      .prepare(
        `INSERT INTO content_events (id, content_id, subject, kind, ref, day, value, created_at) VALUES (?6, ?1, ?2, ?3, ?4, ?5, 0, ?7)
         ON CONFLICT DO NOTHING`,
      )
      .bind(...keyArgs, eventId, ctx.now),
  ];
  if (input.kind === 'dwell') {
    const s = input.seconds!;
    stmts.push(
      db
        .prepare(
          `UPDATE content_metrics_daily SET dwell_seconds = dwell_seconds + max(0, ?6 - (SELECT value FROM content_events WHERE ${key}))
           WHERE content_id = ?1 AND day = ?5`,
        )
        .bind(...keyArgs, s),
      db.prepare(`UPDATE content_events SET value = ?6 WHERE ${key} AND value < ?6`).bind(...keyArgs, s),
    );
  } else {
    const col = COLUMN[input.kind];
    // counts only when this request's event row is the one that went in
    stmts.push(
      db
        .prepare(
          `UPDATE content_metrics_daily SET ${col} = ${col} + 1 WHERE content_id = ?1 AND day = ?2 AND EXISTS (SELECT 1 FROM content_events WHERE id = ?3)`,
        )
        .bind(contentId, day, eventId),
    );
  }
  const touched = !userId ? [] : input.kind === 'view' ? products : input.kind === 'click' ? [input.productId!] : [];
  for (const productId of touched)
    stmts.push(
      db
        .prepare(
          `INSERT INTO content_touches (user_id, product_id, content_id, at) VALUES (?1, ?2, ?3, ?4)
           ON CONFLICT DO UPDATE SET at = excluded.at`,
        )
        .bind(userId, productId, contentId, ctx.now),
    );
  const results = await db.batch(stmts);
  const counted = input.kind === 'dwell' ? results[3]!.meta.changes > 0 : results[1]!.meta.changes > 0;
  return { counted, day };
}

/**
 * Cron: orders paid within ATTRIBUTION_WINDOW_MS after a shopper's touch of one of their products
 * count for the content (the latest touch before the payment wins), once per (content, order), on
 * the Beijing day the order was paid. Reads the orders domain through its services. Idempotent:
 * a run repeats nothing.
 */
export async function attributeContentOrders(ctx: Ctx): Promise<number> {
  const since = ctx.now - 2 * ATTRIBUTION_WINDOW_MS;
  const touches = await ctx.db.select().from(contentTouches).where(gte(contentTouches.at, since));
  if (!touches.length) return 0;
  const byUserProduct = new Map<string, { contentId: string; at: number }[]>();
  for (const t of touches) {
    const k = `${t.userId}\n${t.productId}`;
    byUserProduct.set(k, [...(byUserProduct.get(k) ?? []), { contentId: t.contentId, at: t.at }]);
  }
  const userIds = [...new Set(touches.map((t) => t.userId))];
  const firstTouch = Math.min(...touches.map((t) => t.at));
  const orders = await paidOrdersOfUsersSince(ctx, userIds, firstTouch - 1000);
  if (!orders.length) return 0;
  const orderById = new Map(orders.map((o) => [o.orderId, o]));
  const lines = await inChunks(
    orders.map((o) => o.orderId),
    D1_IN_CHUNK,
    (part) => orderLinesOf(ctx, part),
  );
  const pairs = new Map<string, { contentId: string; orderId: string; userId: string; day: string }>();
  for (const line of lines) {
    const o = orderById.get(line.orderId)!;
    const candidates = (byUserProduct.get(`${o.userId}\n${line.productId}`) ?? []).filter(
      // paid times come from WeChat Pay to the second: a touch in that second still came first
      (t) => t.at < o.paidAt + 1000 && o.paidAt - t.at <= ATTRIBUTION_WINDOW_MS,
    );
    if (!candidates.length) continue;
    const latest = candidates.reduce((a, b) => (b.at > a.at ? b : a));
    pairs.set(`${latest.contentId}\n${o.orderId}`, {
      contentId: latest.contentId,
      orderId: o.orderId,
      userId: o.userId,
      day: shanghaiDay(o.paidAt),
    });
  }
  const db = ctx.env.DB;
  const stmts: D1PreparedStatement[] = [];
  for (const p of pairs.values())
    stmts.push(
      db.prepare(`INSERT INTO content_metrics_daily (content_id, day) VALUES (?1, ?2) ON CONFLICT DO NOTHING`).bind(p.contentId, p.day),
      db
        .prepare(
          `UPDATE content_metrics_daily SET orders = orders + 1 WHERE content_id = ?1 AND day = ?2
             AND NOT EXISTS (SELECT 1 FROM content_orders WHERE content_id = ?1 AND order_id = ?3)`,
        )
        .bind(p.contentId, p.day, p.orderId),
      db
        .prepare(
          `INSERT INTO content_orders (content_id, order_id, user_id, day, created_at) VALUES (?1, ?3, ?4, ?2, ?5) ON CONFLICT DO NOTHING`,
        )
        .bind(p.contentId, p.day, p.orderId, p.userId, ctx.now),
    );
  // each pair's three statements stay in one batch (the guard and the insert decide together)
  let added = 0;
  for (let i = 0; i < stmts.length; i += 3 * PAIRS_PER_BATCH) {
    const results = await db.batch(stmts.slice(i, i + 3 * PAIRS_PER_BATCH));
    added += results.filter((_, j) => j % 3 === 2).reduce((n, r) => n + r.meta.changes, 0);
  }
  return added;
}
