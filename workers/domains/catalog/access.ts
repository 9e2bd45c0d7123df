import type { Ctx } from '../../shared/context';
import { forbidden } from '../../shared/errors';
import { PLATFORM_MERCHANT_ID } from '../../shared/rbac';

/**
 * Row-level rule for catalog writes: merchant staff touch only their own merchant's rows;
 * platform staff (admin, operator) any. Route middleware has already checked the permission.
 */
export function assertCanWriteMerchant(ctx: Ctx, ownerMerchantId: string, verb: 'read' | 'write' = 'write'): void {
  const a = ctx.actor;
  if (a.kind === 'system') return;
  if (a.kind !== 'staff') throw forbidden();
  if (a.role === 'merchant' && a.merchantId !== ownerMerchantId) throw forbidden(`you can only ${verb} your own merchant's products`);
}

/** The merchant a new product belongs to: merchant staff → their own; platform staff → given or the platform. */
export function merchantForNewProduct(ctx: Ctx, requested?: string): string {
  const a = ctx.actor;
  if (a.kind === 'staff' && a.role === 'merchant') {
    if (requested && requested !== a.merchantId) throw forbidden('merchant staff create products for their own merchant only');
    return a.merchantId!;
  }
  return requested ?? PLATFORM_MERCHANT_ID;
}

/** Scope for admin lists: a merchant sees only its own rows. */
export function merchantScope(ctx: Ctx): string | null {
  return ctx.actor.kind === 'staff' && ctx.actor.role === 'merchant' ? ctx.actor.merchantId : null;
}
