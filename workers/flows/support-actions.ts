// What an agent can do for the shopper from the inbox besides talking: issue a compensation
// coupon (补偿券) within their role's limit, or open an after-sale on the ticket's order. Both are
// staff writes, so the audit log records who did it; both tell the shopper in the chat.
import type { Ctx } from '../shared/context';
import { AppError, badRequest, conflict, forbidden } from '../shared/errors';
import { roleCan, type StaffRole } from '../shared/rbac';
import { applyAfterSale } from '../domains/aftersales/aftersales.service';
import { TYPE_LABEL } from '../domains/aftersales/transitions';
import { checkPackTemplates, grantTargetedPack } from '../domains/promotions/coupons/targeted-pack';
import { listCouponTemplates, templateRow } from '../domains/promotions/coupons/templates.service';
import type { z } from 'zod';
import type { CompensateTicketInput, TicketAfterSaleInput } from '../domains/support/dto';
import { agentNotice, claimCompensation, settleCompensation, ticketForStaff } from '../domains/support/tickets.service';

/**
 * The most a coupon an agent issues may be worth, by role (fen): front-line support ¥20, operators
 * ¥100, admins ¥500. Above it, escalate to someone whose limit covers it.
 */
export const COMPENSATION_LIMIT_FEN: Record<StaffRole, number> = { support: 2_000, operator: 10_000, admin: 50_000, merchant: 0 };

/** The most a template's coupon can take off (fen); null when uncapped (a % off or free shipping without a cap). */
export function couponWorth(t: { kind: string; amountOff: number | null; maxOff: number | null }): number | null {
  if (t.kind === 'amount_off') return t.amountOff;
  if (t.kind === 'percent_off') return t.maxOff;
  return t.amountOff; // free_shipping: its cap, null = all shipping
}

function staffRole(ctx: Ctx): StaffRole {
  if (ctx.actor.kind !== 'staff') throw forbidden('support staff only');
  return ctx.actor.role;
}

/**
 * listCompensationCoupons: what the calling agent may give — active templates staff can issue
 * (定向发放), not expired, capped, and worth no more than their limit — with each one's worth.
 */
export async function listCompensationCoupons(ctx: Ctx) {
  const limit = COMPENSATION_LIMIT_FEN[staffRole(ctx)];
  const { items } = await listCouponTemplates(ctx, { status: 'active', channel: 'segment', limit: 100 });
  const usable = items
    .map((t) => ({ t, worth: couponWorth(t) }))
    .filter(({ t, worth }) => worth !== null && worth <= limit && (t.validTo === null || Date.parse(t.validTo) > ctx.now))
    .map(({ t, worth }) => ({ id: t.id, name: t.name, label: t.label, worth: worth! }));
  return { limit, items: usable };
}

/**
 * compensateTicket: one 补偿券 per ticket. The template must be issuable by staff (定向发放) and
 * capped, and worth no more than the agent's limit (403 support.compensation_over_limit). The
 * ticket's slot is claimed first (guarded UPDATE), so concurrent clicks issue one coupon; a retry
 * with the same template answers the same coupon.
 */
export async function compensateTicket(ctx: Ctx, ticketId: string, input: z.infer<typeof CompensateTicketInput>) {
  const role = staffRole(ctx);
  const ticket = await ticketForStaff(ctx, ticketId);
  const [info] = await checkPackTemplates(ctx, [input.templateId]);
  const worth = couponWorth(await templateRow(ctx, input.templateId));
  if (worth === null)
    throw badRequest('support.compensation_uncapped', 'choose a coupon with a fixed amount or a cap: an uncapped one has no known cost');
  const limit = COMPENSATION_LIMIT_FEN[role];
  if (worth > limit)
    throw new AppError(
      'support.compensation_over_limit',
      403,
      `this coupon is worth up to ¥${worth / 100}; your limit is ¥${limit / 100} — escalate the ticket`,
      { worth, limit },
    );
  await claimCompensation(ctx, ticketId, input.templateId);
  const granted = await grantTargetedPack(ctx, ticket.userId, [input.templateId], `support:${ticketId}`);
  const couponId = granted.couponIds[0] ?? null;
  await settleCompensation(ctx, ticketId, input.templateId, couponId);
  if (!couponId)
    throw conflict('support.compensation_refused', 'the coupon could not be issued (sold out or over its budget)', {
      reason: granted.refused[0]?.reason,
    });
  await agentNotice(
    ctx,
    ticketId,
    'compensation',
    `为表歉意，已向您发放一张「${info!.name}」（${info!.label}），可在「我的优惠券」查看使用。`,
  );
  ctx.log.info('support compensation', { ticketId, templateId: input.templateId, couponId, reason: input.reason });
  return { ticket: await ticketForStaff(ctx, ticketId), couponId };
}

/**
 * openTicketAfterSale: the agent files the after-sale the shopper asked for in the chat, on the
 * ticket's order. It goes through the shopper's own path (as that shopper), so every rule holds —
 * the order is theirs, eligible, in its window, the quantities returnable — and the key makes a
 * retry answer the same after-sale. The staff write itself is what the audit log records.
 */
export async function openTicketAfterSale(ctx: Ctx, ticketId: string, input: z.infer<typeof TicketAfterSaleInput>, idempotencyKey: string) {
  if (!roleCan(staffRole(ctx), 'aftersales.write')) throw forbidden('opening an after-sale needs the aftersales.write permission');
  const ticket = await ticketForStaff(ctx, ticketId);
  if (!ticket.orderId)
    throw conflict('support.no_order', 'this conversation is not about an order: ask the shopper to start it from the order');
  if (ticket.status !== 'open') throw conflict('support.ticket_closed', 'this ticket is closed');
  const asShopper: Ctx = { ...ctx, actor: { kind: 'user', userId: ticket.userId, sessionId: `support:${ticketId}` } };
  const { afterSale, replayed } = await applyAfterSale(
    asShopper,
    ticket.orderId,
    { ...input, photoKeys: [] },
    `support:${ticketId}:${idempotencyKey}`,
  );
  await agentNotice(
    ctx,
    ticketId,
    `aftersale:${afterSale.id}`,
    `已为您提交${TYPE_LABEL[input.type]}申请（${input.reason}），进度可在「退款/售后」查看：/pages/after-sales/index`,
  );
  return { afterSale, replayed };
}
