import type { z } from '@hono/zod-openapi';
import { type Ctx, shopperId } from '../shared/context';
import { conflict } from '../shared/errors';
import { enforceRateLimit } from '../shared/rate-limit';
import { getAddressForQuickOrder } from '../domains/addresses/addresses.service';
import {
  getDealRow,
  getTeamRow,
  getTeamView,
  releaseSeat,
  takeSeat,
  teamMirrorStatement,
  type DealRow,
} from '../domains/group-buys/group-buys.service';
import type { SeatInput } from '../domains/group-buys/dto';
import { ensureHeldOrder } from './held-order';

const seatKey = (seatId: string) => `gb:${seatId}`;

/**
 * openGroupBuyTeam / joinGroupBuyTeam: the SKU's Durable Object gives the shopper a seat (a new
 * team as leader, or one of an open team's free seats — never more than the team's size, never the
 * same shopper twice), then a pending order holds it until paid. The order does not ship until
 * the team is full (fulfilment hold); if the team fails, it is refunded automatically. A retry with
 * the same Idempotency-Key returns the same seat and order.
 */
export async function takeGroupBuySeat(
  ctx: Ctx,
  target: { dealId: string } | { teamId: string },
  input: z.output<typeof SeatInput>,
  idempotencyKey: string,
) {
  const userId = shopperId(ctx, 'only shoppers join group buys');
  await enforceRateLimit(ctx.env.FLASH_SHOPPER_LIMITER, `u:${userId}`, 'group_buys.rate_limited', 'too many attempts; wait a few seconds');

  let deal: DealRow;
  let teamId: string | undefined;
  if ('teamId' in target) {
    const team = await getTeamRow(ctx, target.teamId);
    deal = await getDealRow(ctx, team.dealId);
    teamId = team.id;
  } else deal = await getDealRow(ctx, target.dealId);
  const address = await getAddressForQuickOrder(ctx, userId, input.addressId);

  const out = await takeSeat(ctx, deal, { shopperId: userId, idempotencyKey, teamId });
  const { seat, team } = out;
  if (seat.status !== 'pending' && seat.status !== 'paid')
    throw conflict('group_buys.seat_lapsed', 'the seat taken with this Idempotency-Key has lapsed; try again with a new key');
  const leader = seat.role === 'leader';
  const unitPrice = leader && deal.leaderPrice != null ? deal.leaderPrice : deal.groupPrice;
  let order;
  try {
    order = await ensureHeldOrder(ctx, {
      userId,
      key: seatKey(seat.id),
      skuId: deal.skuId,
      merchantId: deal.merchantId,
      quantity: 1,
      unitPrice,
      discount: {
        source: 'group_buy',
        sourceId: deal.id,
        label: leader && deal.leaderPrice != null ? `${deal.groupSize}人团 团长价` : `${deal.groupSize}人团 拼团价`,
      },
      address,
      buyerNote: input.buyerNote,
      expiresAt: seat.createdAt + deal.seatTtlMs,
      promo: { type: 'group_buy', id: deal.id, holdId: seat.id, teamId: team.id, fulfilmentHold: 'group_forming' },
      alsoWrite: [teamMirrorStatement(ctx, team, deal.skuId)],
    });
  } catch (e) {
    if (!out.replayed)
      await releaseSeat(ctx, deal.skuId, seat.id).catch((err) =>
        ctx.log.error('release after failed order', { seatId: seat.id, err: String(err) }),
      );
    throw e;
  }
  return {
    seatId: seat.id,
    role: leader ? ('leader' as const) : ('member' as const),
    replayed: out.replayed,
    team: await getTeamView(ctx, team.id),
    order,
  };
}
