import type { Ctx } from '../../shared/context';
import { iso } from '../../shared/db';
import { forbidden } from '../../shared/errors';
import { roleCan } from '../../shared/rbac';
import type { CorrectionNoticeDto } from './dto';
import type { correctionNotices } from './schema';

type NoticeRow = typeof correctionNotices.$inferSelect;

/** Spot checks are the operators' (catalog.review); routes check it too. */
export function assertOperator(ctx: Ctx): asserts ctx is Ctx & { actor: Extract<Ctx['actor'], { kind: 'staff' }> } {
  const a = ctx.actor;
  if (a.kind !== 'staff' || a.role === 'merchant' || !roleCan(a.role, 'catalog.review')) throw forbidden('only operators run spot checks');
}

export const noticeDto = (ctx: Pick<Ctx, 'now'>, n: NoticeRow): CorrectionNoticeDto => ({
  id: n.id,
  spotCheckId: n.spotCheckId,
  itemId: n.itemId,
  productId: n.productId,
  merchantId: n.merchantId,
  productTitle: n.productTitle,
  reason: n.reason,
  deadlineAt: iso(n.deadlineAt)!,
  status: n.status,
  overdue: n.status === 'open' && n.deadlineAt <= ctx.now,
  correctionNote: n.correctionNote,
  correctedAt: iso(n.correctedAt),
  acceptedAt: iso(n.acceptedAt),
  reopenCount: n.reopenCount,
  takenDownAt: iso(n.takenDownAt),
  takedownReason: n.takedownReason,
  createdAt: iso(n.createdAt)!,
  updatedAt: iso(n.updatedAt)!,
});
