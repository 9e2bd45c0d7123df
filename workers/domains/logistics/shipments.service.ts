import { and, asc, eq } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { iso } from '../../shared/db';
import { badRequest, conflict, notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { shipments, trackingEvents } from './schema';
import { CARRIERS, TRACKING_NO, type CarrierCode, type ShipmentDto, type TrackingStatus, type TrackingWebhookInput } from './dto';

export { CARRIERS } from './dto';

type ShipmentRow = typeof shipments.$inferSelect;
type EventRow = typeof trackingEvents.$inferSelect;
export type ShipmentStatus = ShipmentRow['status'];

/** The carrier with this code (case-insensitive), or undefined. */
export function findCarrier(code: string): (typeof CARRIERS)[number] | undefined {
  const c = code.trim().toUpperCase();
  return CARRIERS.find((k) => k.code === c);
}

/** Tracking numbers are compared upper-case and trimmed, so "sf123…" from a form matches the carrier's "SF123…". */
export function normalizeTrackingNo(raw: string): string {
  return raw.trim().toUpperCase();
}

// At the same instant the more advanced (or alarming) event is the current one.
const EVENT_RANK: Record<TrackingStatus, number> = { picked_up: 1, in_transit: 2, out_for_delivery: 3, exception: 4, delivered: 5 };
const RANK_SQL = `CASE status WHEN 'picked_up' THEN 1 WHEN 'in_transit' THEN 2 WHEN 'out_for_delivery' THEN 3 WHEN 'exception' THEN 4 WHEN 'delivered' THEN 5 ELSE 0 END`;

const eventOrder = (a: EventRow, b: EventRow) =>
  b.eventAt - a.eventAt || EVENT_RANK[b.status] - EVENT_RANK[a.status] || b.receivedAt - a.receivedAt;

const toDto = (s: ShipmentRow, events: EventRow[]): ShipmentDto => ({
  id: s.id,
  orderId: s.orderId,
  carrierCode: s.carrierCode,
  carrierName: s.carrierName,
  trackingNo: s.trackingNo,
  status: s.status,
  shippedAt: iso(s.shippedAt)!,
  deliveredAt: iso(s.deliveredAt),
  events: [...events]
    .sort(eventOrder)
    .map((e) => ({ at: iso(e.eventAt)!, status: e.status, description: e.description, location: e.location })),
});

function actorName(ctx: Ctx): string | null {
  const a = ctx.actor;
  if (a.kind === 'staff') return a.staffId;
  if (a.kind === 'system') return a.name;
  return null;
}

/**
 * Records a parcel of an order. The caller (orders' shipOrder) has checked the order and the
 * actor. Repeating the same order + carrier + tracking number returns the existing shipment; the
 * same tracking number on another order is 409 `logistics.tracking_in_use`.
 */
export async function createShipment(
  ctx: Ctx,
  input: { orderId: string; carrierCode: string; carrierName?: string; trackingNo: string },
): Promise<ShipmentDto> {
  const carrier = findCarrier(input.carrierCode);
  if (!carrier)
    throw badRequest('logistics.unknown_carrier', `unknown carrier ${input.carrierCode}`, { known: CARRIERS.map((c) => c.code) });
  const trackingNo = normalizeTrackingNo(input.trackingNo);
  if (!TRACKING_NO.test(trackingNo))
    throw badRequest('logistics.invalid_tracking_no', 'tracking numbers are 6–40 letters, digits or dashes');

  // Insert-or-ignore then read back: two racing calls both end up looking at the one row that won.
  await ctx.db
    .insert(shipments)
    .values({
      id: newId('shp'),
      orderId: input.orderId,
      carrierCode: carrier.code,
      carrierName: input.carrierName?.trim() || carrier.name,
      trackingNo,
      status: 'shipped',
      shippedAt: ctx.now,
      createdBy: actorName(ctx),
    })
    .onConflictDoNothing({ target: [shipments.carrierCode, shipments.trackingNo] });
  const row = await shipmentByTracking(ctx, carrier.code, trackingNo);
  if (!row) throw new Error('shipment vanished after insert');
  if (row.orderId !== input.orderId)
    throw conflict('logistics.tracking_in_use', `${carrier.name} ${trackingNo} is already used by another order`);
  const events = await ctx.db.select().from(trackingEvents).where(eq(trackingEvents.shipmentId, row.id));
  return toDto(row, events);
}

async function shipmentByTracking(ctx: Ctx, carrierCode: string, trackingNo: string): Promise<ShipmentRow | undefined> {
  const [row] = await ctx.db
    .select()
    .from(shipments)
    .where(and(eq(shipments.carrierCode, carrierCode), eq(shipments.trackingNo, trackingNo)))
    .limit(1);
  return row;
}

/**
 * The parcels of an order (oldest first), each with its tracking timeline newest first — what
 * the shopper sees. The caller has checked that the actor may see the order.
 */
export async function listShipments(ctx: Ctx, orderId: string): Promise<ShipmentDto[]> {
  const [rows, events] = await Promise.all([
    ctx.db.select().from(shipments).where(eq(shipments.orderId, orderId)).orderBy(asc(shipments.shippedAt), asc(shipments.id)),
    ctx.db.select().from(trackingEvents).where(eq(trackingEvents.orderId, orderId)),
  ]);
  return rows.map((s) =>
    toDto(
      s,
      events.filter((e) => e.shipmentId === s.id),
    ),
  );
}

export interface TrackingResult {
  shipmentId: string;
  orderId: string;
  /** The shipment's status after the update. */
  status: ShipmentStatus;
  accepted: number;
  duplicates: number;
  /** This update moved the shipment to delivered (false when it already was). */
  newlyDelivered: boolean;
  /** The request carried a delivered event (new or repeated). */
  carriesDelivered: boolean;
  /** When every parcel of the order is delivered: the last parcel's delivery time; else null. */
  orderDeliveredAt: number | null;
}

/**
 * Appends carrier events to a shipment's timeline and advances its status. Events are
 * deduplicated by (shipment, time, status) — a repeated delivery adds nothing. The status follows
 * the newest event but never leaves delivered. Unknown carrier + tracking number → 404.
 */
export async function recordTrackingEvents(ctx: Ctx, input: TrackingWebhookInput): Promise<TrackingResult> {
  const carrier = findCarrier(input.carrierCode);
  const trackingNo = normalizeTrackingNo(input.trackingNo);
  const ship = carrier ? await shipmentByTracking(ctx, carrier.code as CarrierCode, trackingNo) : undefined;
  if (!ship) throw notFound('logistics.shipment_not_found', `shipment ${input.carrierCode} ${trackingNo}`);

  const d1 = ctx.env.DB;
  const before = d1.prepare('SELECT status FROM shipments WHERE id = ?1').bind(ship.id);
  const inserts = input.events.map((e) =>
    d1
      .prepare(
        `INSERT INTO tracking_events (id, shipment_id, order_id, event_at, status, description, location, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (shipment_id, event_at, status) DO NOTHING`,
      )
      .bind(newId('tev'), ship.id, ship.orderId, Date.parse(e.at), e.status, e.description, e.location ?? null, ctx.now),
  );
  // Recomputed from the whole timeline inside the same batch, so late or out-of-order deliveries
  // and concurrent webhooks all converge; 'delivered' is terminal.
  const advance = d1
    .prepare(
      `UPDATE shipments SET
         status = CASE
           WHEN status = 'delivered' THEN 'delivered'
           WHEN EXISTS (SELECT 1 FROM tracking_events WHERE shipment_id = ?1 AND status = 'delivered') THEN 'delivered'
           ELSE COALESCE((SELECT CASE status WHEN 'exception' THEN 'exception' ELSE 'in_transit' END
                            FROM tracking_events WHERE shipment_id = ?1
                           ORDER BY event_at DESC, ${RANK_SQL} DESC, received_at DESC LIMIT 1), status)
         END,
         delivered_at = COALESCE(delivered_at, (SELECT MIN(event_at) FROM tracking_events WHERE shipment_id = ?1 AND status = 'delivered'))
       WHERE id = ?1
       RETURNING status, delivered_at`,
    )
    .bind(ship.id);
  const results = await d1.batch<Record<string, unknown>>([before, ...inserts, advance]);

  const prevStatus = results[0]?.results[0]?.status as ShipmentStatus;
  const accepted = results.slice(1, 1 + inserts.length).reduce((n, r) => n + (r.meta.changes ?? 0), 0);
  const after = results[results.length - 1]?.results[0] as { status: ShipmentStatus; delivered_at: number | null };

  let orderDeliveredAt: number | null = null;
  if (after.status === 'delivered') {
    const parcels = await ctx.db
      .select({ status: shipments.status, deliveredAt: shipments.deliveredAt })
      .from(shipments)
      .where(eq(shipments.orderId, ship.orderId));
    // An order is delivered when its last parcel is, not its first.
    if (parcels.every((p) => p.status === 'delivered')) orderDeliveredAt = Math.max(...parcels.map((p) => p.deliveredAt ?? 0));
  }

  return {
    shipmentId: ship.id,
    orderId: ship.orderId,
    status: after.status,
    accepted,
    duplicates: input.events.length - accepted,
    newlyDelivered: prevStatus !== 'delivered' && after.status === 'delivered',
    carriesDelivered: input.events.some((e) => e.status === 'delivered'),
    orderDeliveredAt,
  };
}
