import { and, desc, eq } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { iso, stmt } from '../../shared/db';
import { conflict, forbidden, notFound } from '../../shared/errors';
import { decodeCursor, toPage, type Page, olderThanCursor } from '../../shared/pagination';
import { PLATFORM_MERCHANT_ID, roleCan } from '../../shared/rbac';
import type { MerchantDto } from './dto';
import { merchants } from './schema';

export type Merchant = typeof merchants.$inferSelect;

export async function getMerchant(ctx: Ctx, id: string): Promise<Merchant> {
  const [m] = await ctx.db.select().from(merchants).where(eq(merchants.id, id)).limit(1);
  if (!m) throw notFound('merchants.not_found', `merchant ${id}`);
  return m;
}

/** Creates a merchant (used by onboarding and the demo seed); idempotent on id. */
export async function ensureMerchant(ctx: Ctx, m: { id: string; name: string; commissionBps?: number }): Promise<void> {
  await ctx.db
    .insert(merchants)
    .values({ id: m.id, name: m.name, commissionBps: m.commissionBps ?? 0, createdAt: ctx.now })
    .onConflictDoNothing();
}

export const toMerchantDto = (m: Merchant): MerchantDto => ({
  id: m.id,
  name: m.name,
  status: m.status,
  commissionBps: m.commissionBps,
  createdAt: iso(m.createdAt)!,
});

/** The INSERT of a new merchant as a raw statement, so onboarding can put it in its approval batch. */
export function merchantInsertStatement(ctx: Ctx, m: { id: string; name: string; commissionBps: number }): D1PreparedStatement {
  return stmt(
    ctx.env.DB,
    ctx.db.insert(merchants).values({ id: m.id, name: m.name, status: 'active', commissionBps: m.commissionBps, createdAt: ctx.now }),
  );
}

/**
 * Who may read a merchant record: platform staff with merchants.manage read any; merchant staff
 * only their own (another merchant is "not found", like other merchants' orders and ledgers).
 */
function assertCanReadMerchant(ctx: Ctx, merchantId: string): void {
  const a = ctx.actor;
  if (a.kind === 'system') return;
  if (a.kind !== 'staff') throw forbidden();
  if (a.role === 'merchant') {
    if (a.merchantId !== merchantId) throw notFound('merchants.not_found', `merchant ${merchantId}`);
    return;
  }
  if (!roleCan(a.role, 'merchants.manage')) throw forbidden(`role ${a.role} lacks permission merchants.manage`);
}

function assertCanManageMerchants(ctx: Ctx): void {
  const a = ctx.actor;
  if (a.kind === 'system') return;
  if (a.kind !== 'staff' || !roleCan(a.role, 'merchants.manage')) throw forbidden('only admins manage merchants');
}

/** getMerchantAdmin: one merchant; merchant staff may read only their own. */
export async function getMerchantAdmin(ctx: Ctx, id: string): Promise<MerchantDto> {
  assertCanReadMerchant(ctx, id);
  return toMerchantDto(await getMerchant(ctx, id));
}

/** listMerchants: newest first, keyset pages on (createdAt, id); platform admins only. */
export async function listMerchants(
  ctx: Ctx,
  q: { limit: number; cursor?: string; status?: Merchant['status'] },
): Promise<Page<MerchantDto>> {
  assertCanManageMerchants(ctx);
  const cur = decodeCursor(q.cursor);
  const rows = await ctx.db
    .select()
    .from(merchants)
    .where(and(q.status ? eq(merchants.status, q.status) : undefined, olderThanCursor(merchants, cur)))
    .orderBy(desc(merchants.createdAt), desc(merchants.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: r.createdAt, id: r.id }));
  return { items: page.items.map(toMerchantDto), nextCursor: page.nextCursor };
}

/**
 * updateMerchant: suspend/reactivate and change the commission (applies to orders settled from
 * now on). The platform's own shop cannot be suspended.
 */
export async function updateMerchant(
  ctx: Ctx,
  id: string,
  input: { status?: Merchant['status']; commissionBps?: number },
): Promise<MerchantDto> {
  assertCanManageMerchants(ctx);
  const cur = await getMerchant(ctx, id);
  if (id === PLATFORM_MERCHANT_ID && input.status === 'suspended')
    throw conflict('merchants.platform_not_suspendable', 'the platform shop cannot be suspended');
  const set: Partial<Merchant> = {};
  if (input.status !== undefined) set.status = input.status;
  if (input.commissionBps !== undefined) set.commissionBps = input.commissionBps;
  await ctx.db.update(merchants).set(set).where(eq(merchants.id, id));
  ctx.log.info('merchant updated', { merchantId: id, ...set });
  return toMerchantDto({ ...cur, ...set });
}
