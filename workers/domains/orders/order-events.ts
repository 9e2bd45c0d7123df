import type { Ctx } from '../../shared/context';
import { newId } from '../../shared/ids';
import { stmt } from '../../shared/db';
import { orderEvents } from './schema';
import type { OrderStatus } from './schema';

export interface OrderEventInput {
  type: string;
  from?: OrderStatus | null;
  to?: OrderStatus | null;
  note?: string;
  data?: Record<string, unknown>;
  /** Overrides the actor taken from ctx (e.g. 'wechat' for payment callbacks, 'carrier' for tracking). */
  actorType?: 'user' | 'staff' | 'system' | 'wechat' | 'carrier';
}

function actorOf(ctx: Ctx): { actorType: 'user' | 'staff' | 'system'; actorId: string | null } {
  const a = ctx.actor;
  if (a.kind === 'user') return { actorType: 'user', actorId: a.userId };
  if (a.kind === 'staff') return { actorType: 'staff', actorId: a.staffId };
  return { actorType: 'system', actorId: a.kind === 'system' ? a.name : null };
}

/** A timeline entry, as a statement so it commits in the same batch as the change it records. */
export function orderEventStatement(ctx: Ctx, orderId: string, ev: OrderEventInput): D1PreparedStatement {
  const actor = actorOf(ctx);
  return stmt(
    ctx.env.DB,
    ctx.db.insert(orderEvents).values({
      id: newId('oev'),
      orderId,
      type: ev.type,
      fromStatus: ev.from ?? null,
      toStatus: ev.to ?? null,
      actorType: ev.actorType ?? actor.actorType,
      actorId: actor.actorId,
      note: ev.note ?? '',
      data: ev.data ?? null,
      createdAt: ctx.now,
    }),
  );
}
