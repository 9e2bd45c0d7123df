import type { Ctx } from '../shared/context';
import { DAY_MS, shanghaiDay, shanghaiDayStart, shanghaiHour } from '../shared/calendar';
import { fenToYuan } from '../shared/money';
import { categoryNames, newArrivalsIn, watchedProducts } from '../domains/catalog/product-watch.service';
import { getSkuSnapshots } from '../domains/catalog/sku-snapshots.service';
import {
  claimDigest,
  claimPriceNotice,
  followersDue,
  markRestockNotified,
  takeFavoritesToCheck,
  waitingRestockSkus,
  waitingSubscriptionsFor,
} from '../domains/members/favorites/favorites.service';
import { sendMarketingMessage } from '../domains/notifications/marketing/send.service';

/*
 * Personalised pushes, run by the every-minute cron: 到货提醒, 降价提醒 and the daily 上新 digest.
 * Each reads the catalog through its services, what shoppers watch through the members domain,
 * and sends through notifications' sendMarketingMessage (caps, quiet hours, opt-outs, idempotent
 * per ref).
 *
 * Why a scan and not a stock event: stock comes back by many roads — adjustStock, a stocktake, an
 * import, a cancelled or unpaid order releasing its units, a refund's return, a flash sale or group
 * buy giving its unsold units back — and an event would have to be added to every one of them, now
 * and in the future; forget one and a shopper waits forever. Comparing the waiting subscriptions
 * with the SKU's stock as it is now cannot miss a restock that lasts until the next minute,
 * whichever road brought it. (A restock sold out again within the minute is not worth a message:
 * the subscription stays and fires on the next one.)
 */

/** SKUs checked per run (one stock read per 90). */
const RESTOCK_SKUS_PER_RUN = 900;

/**
 * 到货提醒: every waiting subscription whose SKU is on sale with stock > 0 gets its notice, once
 * (ref `restock:<subscription>`), and is then done. A notice held back by the frequency cap leaves
 * the subscription waiting, to try again the next day (the ref carries the day).
 */
export async function runRestockPushes(ctx: Ctx): Promise<{ notified: number }> {
  let notified = 0;
  let after = '';
  for (let seen = 0; seen < RESTOCK_SKUS_PER_RUN;) {
    const skuIds = await waitingRestockSkus(ctx, after, 90);
    if (!skuIds.length) break;
    seen += skuIds.length;
    after = skuIds[skuIds.length - 1]!;
    const snaps = await getSkuSnapshots(ctx, skuIds);
    const back = skuIds.filter((id) => {
      const s = snaps.get(id);
      return s && s.sellable && s.stock > 0;
    });
    for (const sub of await waitingSubscriptionsFor(ctx, back)) {
      const sku = snaps.get(sub.skuId)!;
      const decision = await sendMarketingMessage(ctx, {
        userId: sub.userId,
        templateKey: 'restock',
        ref: `restock:${sub.id}:${shanghaiDay(ctx.now)}`,
        vars: {
          productId: sku.productId,
          productName: sku.title,
          skuName: sku.specKey || sku.specValues.join('/') || '默认',
          price: fenToYuan(sku.price),
        },
      });
      // capped: try again tomorrow; everything else (queued, scheduled, sent, skipped for opt-out) ends it
      if (decision.status !== 'capped' && (await markRestockNotified(ctx, sub.id, decision.sendId))) notified++;
    }
  }
  return { notified };
}

/** How often one favourite's price is looked at, and the least time between two 降价提醒 for it. */
export const PRICE_CHECK_EVERY_MS = 15 * 60_000;
export const PRICE_NOTICE_THROTTLE_MS = 7 * DAY_MS;

/**
 * 降价提醒: a favourite whose lowest price fell below the reference (the price when favourited or
 * last notified) gets one notice — at most one per product per week (claimed by a guarded UPDATE
 * before sending, so overlapping runs cannot both send). Walks up to 500 favourites a run, least
 * recently checked first.
 */
export async function runPriceDropPushes(ctx: Ctx): Promise<{ checked: number; notified: number }> {
  const favs = await takeFavoritesToCheck(ctx, PRICE_CHECK_EVERY_MS, 500);
  if (!favs.length) return { checked: 0, notified: 0 };
  const products = await watchedProducts(
    ctx,
    favs.map((f) => f.productId),
  );
  let notified = 0;
  for (const f of favs) {
    const p = products.get(f.productId);
    if (!p || !p.sellable || !p.inStock || p.minPrice >= f.refPrice) continue;
    if (
      !(await claimPriceNotice(ctx, { userId: f.userId, productId: f.productId, price: p.minPrice, throttleMs: PRICE_NOTICE_THROTTLE_MS }))
    )
      continue;
    await sendMarketingMessage(ctx, {
      userId: f.userId,
      templateKey: 'price_drop',
      ref: `price_drop:${f.userId}:${f.productId}:${ctx.now}`,
      vars: { productId: p.id, productName: p.title, oldPrice: fenToYuan(f.refPrice), newPrice: fenToYuan(p.minPrice) },
    });
    notified++;
  }
  return { checked: favs.length, notified };
}

/** The digest goes out from this Beijing hour (after quiet hours, when shoppers browse). */
export const DIGEST_HOUR = 10;

/**
 * 上新 digest: once per shopper per Beijing day, from 10:00, one message about the products put on
 * sale yesterday in the categories they follow — the newest one and how many — never one message
 * per product (capped at one digest a day, and by the marketing caps). No news, no message.
 * Up to 200 shoppers a run; each is claimed for the day before its message, so it is done once.
 */
export async function runNewArrivalDigests(ctx: Ctx): Promise<{ digests: number }> {
  if (shanghaiHour(ctx.now) < DIGEST_HOUR) return { digests: 0 };
  const day = shanghaiDay(ctx.now);
  const todayStart = shanghaiDayStart(ctx.now);
  let digests = 0;
  for (const f of await followersDue(ctx, day, todayStart, 200)) {
    if (!(await claimDigest(ctx, f.userId, day, todayStart))) continue;
    const news = (await newArrivalsIn(ctx, f.categoryIds, todayStart - DAY_MS, todayStart)).filter((n) => n.count > 0);
    if (!news.length) continue;
    news.sort((a, b) => b.count - a.count);
    const top = news[0]!;
    const names = await categoryNames(ctx, [top.categoryId]);
    const total = news.reduce((n, x) => n + x.count, 0);
    await sendMarketingMessage(ctx, {
      userId: f.userId,
      templateKey: 'new_arrivals',
      ref: `new_arrivals:${f.userId}:${day}`,
      vars: {
        categoryId: top.categoryId,
        categoryName:
          news.length > 1
            ? `${names.get(top.categoryId) ?? '关注的分类'}等${news.length}个分类`
            : (names.get(top.categoryId) ?? '关注的分类'),
        productId: top.newest?.id ?? '',
        productName: top.newest?.title ?? '',
        count: Math.min(total, 99),
      },
    });
    digests++;
  }
  return { digests };
}
