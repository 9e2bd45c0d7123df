import { z } from '@hono/zod-openapi';
import type { Ctx } from '../../../shared/context';
import { getUserCreatedAt, listActiveUserIds } from '../../users/users.service';
import { usersWithOrders } from '../../orders/orders.service';
import { badRequest } from '../../../shared/errors';
import { memberSegmentExists, userInMemberSegment, usersInMemberSegment } from '../../members/segments/membership';
import type { Segment } from '../schema';

const DAY_MS = 86_400_000;

export const SegmentSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('all') }),
    z.object({
      kind: z.literal('new_users'),
      days: z.number().int().min(1).max(365).openapi({ description: 'registered within this many days' }),
    }),
    z.object({ kind: z.literal('no_orders').openapi({ description: 'never placed an order' }) }),
    z.object({ kind: z.literal('users'), userIds: z.array(z.string().min(4).max(40)).min(1).max(1000) }),
    z.object({
      kind: z.literal('segment'),
      segmentId: z
        .string()
        .regex(
          /^(layer:(new|active|dormant|lost)|seg_[A-Za-z0-9]{4,40})$/,
          "a member segment id: 'layer:new|active|dormant|lost' or 'seg_…'",
        )
        .openapi({
          description:
            "用户分层: 'layer:new' 新客, 'layer:active' 活跃, 'layer:dormant' 沉睡, 'layer:lost' 流失, or an operator segment 'seg_…'",
        }),
    }),
  ])
  .openapi('Segment');

/** Whether a shopper belongs to a segment right now. Anonymous visitors are only in 'all'. */
export async function userInSegment(ctx: Ctx, userId: string | null, s: Segment): Promise<boolean> {
  if (s.kind === 'all') return true;
  if (!userId) return false;
  if (s.kind === 'users') return s.userIds.includes(userId);
  if (s.kind === 'segment') return userInMemberSegment(ctx, s.segmentId, userId);
  if (s.kind === 'new_users') {
    const at = await getUserCreatedAt(ctx, userId);
    return at !== null && at >= ctx.now - s.days * DAY_MS;
  }
  return !(await usersWithOrders(ctx, [userId])).has(userId);
}

/**
 * One page of a segment's shoppers, in id order after `afterId`; `next` is the cursor for the
 * following page (null at the end). Pages may come back shorter than `limit` when a filter
 * (no_orders) drops shoppers, so callers loop on `next`, not on the page size.
 */
export async function usersInSegment(
  ctx: Ctx,
  s: Segment,
  afterId: string | null,
  limit: number,
): Promise<{ userIds: string[]; next: string | null }> {
  if (s.kind === 'segment') return usersInMemberSegment(ctx, s.segmentId, afterId, limit);
  if (s.kind === 'users') {
    const sorted = [...new Set(s.userIds)].sort().filter((id) => afterId === null || id > afterId);
    const page = sorted.slice(0, limit);
    return { userIds: page, next: sorted.length > limit ? page[page.length - 1]! : null };
  }
  const ids = await listActiveUserIds(ctx, {
    afterId: afterId ?? undefined,
    createdSince: s.kind === 'new_users' ? ctx.now - s.days * DAY_MS : undefined,
    limit,
  });
  const next = ids.length === limit ? ids[ids.length - 1]! : null;
  if (s.kind !== 'no_orders') return { userIds: ids, next };
  const ordered = await usersWithOrders(ctx, ids);
  return { userIds: ids.filter((id) => !ordered.has(id)), next };
}

/** A segment naming a members segment must name one that exists (400 promotions.segment_not_found). */
export async function assertSegmentExists(ctx: Ctx, s: Segment): Promise<void> {
  if (s.kind === 'segment' && !(await memberSegmentExists(ctx, s.segmentId)))
    throw badRequest('promotions.segment_not_found', `member segment ${s.segmentId} does not exist`, { segmentId: s.segmentId });
}
