import type { Env } from './shared/env';
import { getDb } from './shared/db';
import { createLogger } from './shared/log';
import type { Ctx } from './shared/context';
import { applyDuePriceChanges } from './domains/catalog/pricing.service';
import { autoConfirmDue } from './domains/orders/orders.service';
import { reconcilePayments } from './flows/payment';
import { enqueueDueSettlements } from './flows/settlement';
import { reconcileFlashSales } from './flows/flash-reconcile';
import { windUpGroupBuys } from './domains/group-buys/wind-up';
import { expirePointsDue } from './domains/members/points/expiry.service';
import { runBirthdayGifts, runTierReviews } from './domains/members/tiers/cron.service';
import { runNightlySegmentation } from './domains/members/segments/nightly';
import { releaseDueSends } from './domains/notifications/marketing/send.service';
import { flagSlaBreaches } from './domains/support/tickets.service';
import { publishDueContent } from './domains/content/articles.service';
import { attributeContentOrders } from './domains/content/metrics.service';
import { runNewArrivalDigests, runPriceDropPushes, runRestockPushes } from './flows/personal-pushes';
import { takeDownOverdueProducts } from './flows/correction-deadlines';
import { announceMissedReviews } from './domains/reviews/reviews.service';

/** Cron trigger (every minute): time-based work of every domain. */
export async function runScheduled(scheduledTime: number, env: Env): Promise<void> {
  const log = createLogger({ service: 'edgemall', cron: new Date(scheduledTime).toISOString() });
  const ctx: Ctx = {
    db: getDb(env.DB),
    env,
    actor: { kind: 'system', name: 'cron' },
    now: scheduledTime,
    requestId: `cron-${scheduledTime}`,
    log,
  };
  // Each job runs even if another fails; each is idempotent, so the next minute retries safely.
  const jobs: [string, () => Promise<unknown>][] = [
    ['price changes', () => applyDuePriceChanges(ctx)],
    ['payment reconciliation', () => reconcilePayments(ctx)],
    ['auto-confirm receipt', () => autoConfirmDue(ctx)],
    ['merchant settlement', () => enqueueDueSettlements(ctx)],
    ['flash-sale reconciliation', () => reconcileFlashSales(ctx)],
    ['group-buy wind-up', () => windUpGroupBuys(ctx)],
    ['points expiry', () => expirePointsDue(ctx)],
    ['member tier reviews', () => runTierReviews(ctx)],
    ['member birthday gifts', () => runBirthdayGifts(ctx)],
    // Once per Beijing day, resumable: each minute advances today's run by a bounded step until it is done.
    ['member segmentation', () => runNightlySegmentation(ctx)],
    ['restock pushes', () => runRestockPushes(ctx)],
    ['price-drop pushes', () => runPriceDropPushes(ctx)],
    ['new-arrival digests', () => runNewArrivalDigests(ctx)],
    ['support SLA breaches', () => flagSlaBreaches(ctx)],
    ['overdue correction notices', () => takeDownOverdueProducts(ctx)],
    ['review announcements missed', () => announceMissedReviews(ctx)],
    // reads already show scheduled content by time; this keeps statuses (lists, metrics) honest
    ['content publishing', () => publishDueContent(ctx)],
    ['content order attribution', () => attributeContentOrders(ctx)],
    // after the pushes, so what they decided outside quiet hours goes out in the same minute
    ['templated sends release', () => releaseDueSends(ctx)],
  ];
  for (const [name, job] of jobs) {
    try {
      const result = await job();
      log.debug('cron job done', { job: name, result });
    } catch (e) {
      log.error('cron job failed', { job: name, err: e instanceof Error ? e.message : String(e) });
    }
  }
}
