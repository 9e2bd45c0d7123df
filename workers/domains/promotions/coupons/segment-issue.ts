import { and, count, eq, inArray } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { batchFailure, D1_IN_CHUNK, inChunks } from '../../../shared/db';
import { badRequest, conflict } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import { getNicknames } from '../../users/users.service';
import { assertSegmentExists, usersInSegment } from '../campaigns/segments';
import { couponTemplates, userCoupons } from '../schema';
import type { IssueCouponsInput, IssueCouponsResult } from './dto';
import { couponFaceValue, issueCouponStatements } from './issue';
import { templateRow } from './templates.service';
import type { TemplateRow } from './views';

/** Shoppers read from the segment per page. */
const PAGE = 200;
/** Shoppers one request handles; the console continues with `next`. */
const MAX_PER_REQUEST = 2_000;
/** Shoppers per D1 batch; a failed batch is retried one shopper at a time. */
const CHUNK = 25;

type Skipped = IssueCouponsResult['skipped'];
interface IssueState {
  issued: number;
  /** coupons left as far as we know */
  left: number;
  /** set once nobody else in this request can get one */
  stop: null | 'soldOut' | 'budget';
}
/** Read through a call so TypeScript does not keep a narrowing that issueOne may have changed. */
const stopOf = (s: IssueState) => s.stop;

/**
 * issueCoupons (定向发放): one coupon per shopper of the segment, grantKey `issue:<batchId>`, so
 * repeating a request with the same batchId gives nobody a second coupon. Shoppers are issued in
 * batches of CHUNK; a batch that fails (someone reached the limit meanwhile, stock ran out) is
 * retried shopper by shopper, so one shopper's refusal never costs the others theirs. Once the
 * template is sold out or the campaign budget is spent, the rest of the page is counted as
 * skipped without further writes.
 */
export async function issueCouponsToSegment(ctx: Ctx, templateId: string, input: IssueCouponsInput): Promise<IssueCouponsResult> {
  const t = await templateRow(ctx, templateId);
  if (!t.channels.includes('segment') && !t.channels.includes('campaign'))
    throw badRequest(
      'promotions.wrong_channel',
      "this coupon cannot be issued by staff: its channels include neither 'segment' nor 'campaign'",
    );
  if (t.status !== 'active') throw conflict('promotions.template_disabled', 'this coupon template is disabled');
  if (t.validTo !== null && t.validTo <= ctx.now) throw conflict('promotions.template_expired', 'this coupon template has expired');
  await assertSegmentExists(ctx, input.segment);

  const batchId = input.batchId ?? newId('cib');
  const grantKey = `issue:${batchId}`;
  const skipped: Skipped = { already: 0, limit: 0, soldOut: 0, budget: 0, unknown: 0 };
  const state: IssueState = { issued: 0, left: t.totalQuantity - t.issuedCount, stop: null };
  let processed = 0;
  let after = input.afterId ?? null;
  let next: string | null = null;
  do {
    const page = await usersInSegment(ctx, input.segment, after, Math.min(PAGE, MAX_PER_REQUEST - processed));
    processed += page.userIds.length;
    await issuePage(ctx, t, grantKey, page.userIds, input.segment.kind === 'users', skipped, state);
    next = after = page.next;
  } while (next && processed < MAX_PER_REQUEST && !stopOf(state));
  ctx.log.info('coupons issued to segment', { templateId, batchId, processed, issued: state.issued, ...skipped, next });
  return { batchId, processed, issued: state.issued, skipped, next };
}

async function issuePage(
  ctx: Ctx,
  t: TemplateRow,
  grantKey: string,
  userIds: string[],
  checkExist: boolean,
  skipped: Skipped,
  state: IssueState,
): Promise<void> {
  if (state.stop) {
    skipped[state.stop] += userIds.length;
    return;
  }
  let ids = userIds;
  // A 'users' segment names ids directly: only real shoppers get coupons.
  if (checkExist) {
    const known = new Set((await getNicknames(ctx, ids)).keys());
    skipped.unknown += ids.filter((id) => !known.has(id)).length;
    ids = ids.filter((id) => known.has(id));
  }
  // Cheap pre-checks so the batches below rarely fail: who already has this batch's coupon, who is at the limit.
  const got = await inChunks(ids, D1_IN_CHUNK, (part) =>
    ctx.db
      .select({ userId: userCoupons.userId })
      .from(userCoupons)
      .where(and(eq(userCoupons.grantKey, grantKey), inArray(userCoupons.userId, part))),
  );
  const counts = await inChunks(ids, D1_IN_CHUNK, (part) =>
    ctx.db
      .select({ userId: userCoupons.userId, n: count() })
      .from(userCoupons)
      .where(and(eq(userCoupons.templateId, t.id), inArray(userCoupons.userId, part)))
      .groupBy(userCoupons.userId),
  );
  const already = new Set(got.map((r) => r.userId));
  const held = new Map(counts.map((r) => [r.userId, r.n]));
  const todo: string[] = [];
  for (const id of ids) {
    if (already.has(id)) skipped.already++;
    else if ((held.get(id) ?? 0) >= t.perUserLimit) skipped.limit++;
    else todo.push(id);
  }

  let i = 0;
  while (i < todo.length) {
    if (state.left <= 0) {
      // Our count may be stale (the total was raised): look again before calling it sold out.
      const [fresh] = await ctx.db
        .select({ total: couponTemplates.totalQuantity, issued: couponTemplates.issuedCount })
        .from(couponTemplates)
        .where(eq(couponTemplates.id, t.id));
      state.left = fresh ? fresh.total - fresh.issued : 0;
      if (state.left <= 0) state.stop = 'soldOut';
    }
    const stop = stopOf(state);
    if (stop) {
      skipped[stop] += todo.length - i;
      return;
    }
    const part = todo.slice(i, i + Math.min(CHUNK, state.left));
    i += part.length;
    const stmts = part.flatMap(
      (userId) => issueCouponStatements(ctx, t, { userId, channel: 'segment', grantKey, enforcePerUserLimit: true }).stmts,
    );
    try {
      await ctx.env.DB.batch(stmts);
      state.issued += part.length;
      state.left -= part.length;
      continue;
    } catch (e) {
      if (batchFailure(e) === null) throw e;
    }
    for (const [k, userId] of part.entries()) {
      const stop = stopOf(state);
      if (stop) {
        skipped[stop] += part.length - k;
        break;
      }
      await issueOne(ctx, t, grantKey, userId, skipped, state);
    }
  }
}

/** One shopper on their own, after their batch failed: issue, or say why not. */
async function issueOne(ctx: Ctx, t: TemplateRow, grantKey: string, userId: string, skipped: Skipped, state: IssueState) {
  try {
    await ctx.env.DB.batch(issueCouponStatements(ctx, t, { userId, channel: 'segment', grantKey, enforcePerUserLimit: true }).stmts);
    state.issued++;
    state.left--;
    return;
  } catch (e) {
    const kind = batchFailure(e);
    if (kind === null) throw e;
    if (kind === 'unique') {
      skipped.already++;
      return;
    }
    if (kind === 'check') {
      skipped.soldOut++;
      state.left = 0;
      state.stop = 'soldOut';
      return;
    }
  }
  // A guard: the template was disabled, the shopper reached the limit meanwhile, or the budget ran out.
  const [tpl] = await ctx.db.select({ status: couponTemplates.status }).from(couponTemplates).where(eq(couponTemplates.id, t.id));
  if (tpl?.status !== 'active')
    throw conflict(
      'promotions.template_disabled',
      'the coupon template was disabled while issuing; repeat with the same batchId after enabling it to continue',
    );
  if (t.campaignId) {
    const row = await ctx.env.DB.prepare('SELECT budget_used + ?1 > budget AS over FROM campaigns WHERE id = ?2')
      .bind(couponFaceValue(t), t.campaignId)
      .first<{ over: number }>();
    if (!row || row.over) {
      skipped.budget++;
      state.stop = 'budget';
      return;
    }
  }
  skipped.limit++;
}
