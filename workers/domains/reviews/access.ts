import type { Ctx } from '../../shared/context';
import { forbidden } from '../../shared/errors';

/** A merchant's staff act on reviews of their own merchant's products only; platform staff on any. */
export function merchantScope(ctx: Ctx): string | null {
  return ctx.actor.kind === 'staff' && ctx.actor.role === 'merchant' ? (ctx.actor.merchantId ?? '') : null;
}

/** 403 unless the actor may act on a review of `merchantId`'s product (route middleware checked the permission). */
export function assertReviewMerchant(ctx: Ctx, merchantId: string): void {
  const scope = merchantScope(ctx);
  if (scope !== null && scope !== merchantId) throw forbidden("you can only manage reviews of your own merchant's products");
}
