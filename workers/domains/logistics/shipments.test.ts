import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, env, staffToken } from '../../../test/helpers';
import type { Actor, Ctx } from '../../shared/context';
import { hmacHex } from '../../shared/crypto';
import { getDb } from '../../shared/db';
import { newId } from '../../shared/ids';
import { createLogger } from '../../shared/log';
import { app } from '../../app';
import { applyTrackingUpdate } from '../../flows/tracking-update';
import { CARRIERS, createShipment, listShipments } from './shipments.service';

const staff: Actor = { kind: 'staff', staffId: 'stf_shipper', role: 'operator', merchantId: null, sessionId: 'ses_test' };
const ctxAs = (actor: Actor = staff): Ctx => ({
  db: getDb(env.DB),
  env,
  actor,
  now: Date.now(),
  requestId: 'req_test',
  log: createLogger({ test: 'shipments' }),
});

/** A shipped order row, written directly: the orders domain's own tests cover how orders get there. */
async function shippedOrder(): Promise<string> {
  const id = newId('ord');
  const now = Date.now();
  await env.DB.prepare(
    `INSERT INTO orders (id, order_no, checkout_id, user_id, merchant_id, status, goods_total, payable_total, paid_total, address_enc, address_region, created_at, expires_at, paid_at, shipped_at)
     VALUES (?, ?, ?, 'usr_test', 'mch_platform', 'shipped', 5000, 5000, 5000, 'x', '广东省', ?, ?, ?, ?)`,
  )
    .bind(id, `T${id.slice(4)}`, newId('chk'), now, now + 1800_000, now, now)
    .run();
  return id;
}

const orderOf = (id: string) =>
  env.DB.prepare('SELECT status, delivered_at FROM orders WHERE id = ?').bind(id).first<{ status: string; delivered_at: number | null }>();
const deliveredTimelineEntries = async (orderId: string) =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM order_events WHERE order_id = ? AND type = 'delivered'")
    .bind(orderId)
    .first<{ n: number }>())!.n;
const eventCount = async (orderId: string) =>
  (await env.DB.prepare('SELECT COUNT(*) AS n FROM tracking_events WHERE order_id = ?').bind(orderId).first<{ n: number }>())!.n;

let seq = 0;
/** A fresh, valid tracking number per call (the tracking number is unique per carrier). */
const trackingNo = () => `SF${Date.now()}${String(++seq).padStart(4, '0')}`;

describe('shipments', () => {
  it('creates a shipment; repeating it returns the same one; another order cannot reuse the tracking number', async () => {
    const orderId = await shippedOrder();
    const no = trackingNo();
    const first = await createShipment(ctxAs(), { orderId, carrierCode: 'SF', carrierName: '顺丰速运', trackingNo: no });
    expect(first).toMatchObject({
      orderId,
      carrierCode: 'SF',
      carrierName: '顺丰速运',
      trackingNo: no,
      status: 'shipped',
      deliveredAt: null,
      events: [],
    });
    expect(first.id).toMatch(/^shp_[0-9a-z]{16}$/);

    const again = await createShipment(ctxAs(), { orderId, carrierCode: 'sf', carrierName: '顺丰', trackingNo: ` ${no.toLowerCase()} ` });
    expect(again.id).toBe(first.id);
    expect(await listShipments(ctxAs(), orderId)).toHaveLength(1);

    const other = await shippedOrder();
    await expect(
      createShipment(ctxAs(), { orderId: other, carrierCode: 'SF', carrierName: '顺丰速运', trackingNo: no }),
    ).rejects.toMatchObject({
      code: 'logistics.tracking_in_use',
      status: 409,
    });
    expect(await listShipments(ctxAs(), other)).toEqual([]);
    // the same number with another carrier is another parcel
    const zto = await createShipment(ctxAs(), { orderId: other, carrierCode: 'ZTO', carrierName: '', trackingNo: no });
    expect(zto).toMatchObject({ carrierCode: 'ZTO', carrierName: '中通快递' });
  });

  it('concurrent identical calls end with one shipment', async () => {
    const orderId = await shippedOrder();
    const no = trackingNo();
    const all = await Promise.all(
      Array.from({ length: 5 }, () => createShipment(ctxAs(), { orderId, carrierCode: 'YTO', carrierName: '圆通速递', trackingNo: no })),
    );
    expect(new Set(all.map((s) => s.id)).size).toBe(1);
    expect(await listShipments(ctxAs(), orderId)).toHaveLength(1);
  });

  it('lets an order have several parcels, and validates carrier and tracking number', async () => {
    const orderId = await shippedOrder();
    await createShipment(ctxAs(), { orderId, carrierCode: 'JD', carrierName: '京东物流', trackingNo: `JDVA${Date.now()}` });
    await createShipment(ctxAs(), { orderId, carrierCode: 'EMS', carrierName: '中国邮政EMS', trackingNo: `E${Date.now()}CN` });
    expect((await listShipments(ctxAs(), orderId)).map((s) => s.carrierCode)).toEqual(['JD', 'EMS']);

    await expect(
      createShipment(ctxAs(), { orderId, carrierCode: 'DHL', carrierName: 'DHL', trackingNo: trackingNo() }),
    ).rejects.toMatchObject({
      code: 'logistics.unknown_carrier',
      status: 400,
    });
    for (const bad of ['12345', 'SF 123456789', 'SF123456<script>', 'x'.repeat(41)]) {
      await expect(createShipment(ctxAs(), { orderId, carrierCode: 'SF', carrierName: '顺丰速运', trackingNo: bad })).rejects.toMatchObject(
        {
          code: 'logistics.invalid_tracking_no',
        },
      );
    }
    expect(CARRIERS.map((c) => c.code)).toEqual(['SF', 'ZTO', 'YTO', 'YD', 'STO', 'JD', 'EMS']);
    const carriers = await api('GET', '/admin/v1/carriers', { token: await staffToken('support') });
    expect(carriers.status).toBe(200);
    expect(carriers.body.items).toContainEqual({ code: 'YD', name: '韵达快递' });
  });
});

// ---------- the tracking webhook ----------

const SECRET = 'test-logistics-secret';
const nowSeconds = () => Math.floor(Date.now() / 1000);

async function sign(raw: string, t = nowSeconds(), secret = SECRET): Promise<string> {
  return `t=${t},v1=${await hmacHex(secret, `${t}.${raw}`)}`;
}

async function post(raw: string, signature?: string) {
  return api('POST', '/webhooks/logistics/tracking', {
    raw,
    headers: { 'content-type': 'application/json', ...(signature ? { 'x-edgemall-signature': signature } : {}) },
  });
}

async function send(payload: unknown, t?: number) {
  const raw = JSON.stringify(payload);
  return post(raw, await sign(raw, t));
}

const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();

async function shipped(carrierCode = 'SF') {
  const orderId = await shippedOrder();
  const no = trackingNo();
  const s = await createShipment(ctxAs(), { orderId, carrierCode, carrierName: '', trackingNo: no });
  return { orderId, shipmentId: s.id, carrierCode, trackingNo: no };
}

const shipmentOf = async (orderId: string) => (await listShipments(ctxAs(), orderId))[0]!;

describe('tracking webhook', () => {
  it('uses the configured test secret', () => {
    expect(env.LOGISTICS_WEBHOOK_SECRET).toBe(SECRET);
  });

  it('is documented in OpenAPI with its signature header, beside the freight template routes', async () => {
    const doc = (await api('GET', '/openapi.json')).body;
    const hook = doc.paths['/webhooks/logistics/tracking'].post;
    expect(hook.operationId).toBe('receiveTrackingEvents');
    expect(hook.parameters.map((p: any) => [p.in, p.name])).toContainEqual(['header', 'x-edgemall-signature']);
    expect(hook.security).toBeUndefined();
    const ops = Object.values(doc.paths as Record<string, Record<string, { operationId: string }>>).flatMap((o) =>
      Object.values(o).map((x) => x.operationId),
    );
    expect(ops).toEqual(
      expect.arrayContaining([
        'listFreightTemplates',
        'createFreightTemplate',
        'updateFreightTemplate',
        'deleteFreightTemplate',
        'listCarriers',
      ]),
    );
  });

  it('accepts signed events and shows them newest first', async () => {
    const s = await shipped();
    const r = await send({
      carrierCode: s.carrierCode,
      trackingNo: s.trackingNo,
      events: [
        { at: at(60), status: 'picked_up', description: '快件已揽收', location: '深圳' },
        { at: at(30), status: 'in_transit', description: '快件已发往广州转运中心' },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ accepted: 2, duplicates: 0 });
    const ship = await shipmentOf(s.orderId);
    expect(ship.status).toBe('in_transit');
    expect(ship.events.map((e) => e.status)).toEqual(['in_transit', 'picked_up']);
    expect(ship.events[1]).toMatchObject({ description: '快件已揽收', location: '深圳' });
    expect(ship.events[0]!.location).toBeNull();
  });

  it('refuses a body changed by one byte, a wrong secret and a tampered signature (401, nothing stored)', async () => {
    const s = await shipped();
    const raw = JSON.stringify({
      carrierCode: s.carrierCode,
      trackingNo: s.trackingNo,
      events: [{ at: at(5), status: 'in_transit', description: '运输中 A' }],
    });
    const sig = await sign(raw);

    const changed = raw.replace('运输中 A', '运输中 B');
    expect(changed.length).toBe(raw.length);
    const r = await post(changed, sig);
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('logistics.invalid_signature');

    const lastHex = sig.slice(-1) === '0' ? '1' : '0';
    expect((await post(raw, sig.slice(0, -1) + lastHex)).status).toBe(401);
    expect((await post(raw, await sign(raw, nowSeconds(), 'another-secret'))).status).toBe(401);
    expect((await post(raw)).status).toBe(401);
    expect((await post(raw, 'v1=abc')).status).toBe(401);
    // a signature for another timestamp does not carry over
    const t = nowSeconds();
    expect((await post(raw, (await sign(raw, t)).replace(`t=${t}`, `t=${t - 1}`))).status).toBe(401);
    expect(await eventCount(s.orderId)).toBe(0);

    const ok = await post(raw, sig);
    expect(ok.status).toBe(200);
    expect(await eventCount(s.orderId)).toBe(1);
  });

  it('refuses timestamps outside the 5-minute window, accepts just inside it', async () => {
    const s = await shipped();
    const payload = {
      carrierCode: s.carrierCode,
      trackingNo: s.trackingNo,
      events: [{ at: at(1), status: 'in_transit', description: '运输中' }],
    };
    const stale = await send(payload, nowSeconds() - 301);
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('logistics.invalid_signature');
    expect((await send(payload, nowSeconds() + 301)).status).toBe(401);
    expect(await eventCount(s.orderId)).toBe(0);
    expect((await send(payload, nowSeconds() - 280)).status).toBe(200);
  });

  it('answers 503 when the secret is not configured', async () => {
    const raw = JSON.stringify({
      carrierCode: 'SF',
      trackingNo: 'SF0000000001',
      events: [{ at: at(1), status: 'in_transit', description: 'x' }],
    });
    const req = new Request('http://edgemall.test/webhooks/logistics/tracking', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-edgemall-signature': await sign(raw) },
      body: raw,
    });
    const ec = createExecutionContext();
    const res = await app.fetch(req, { ...env, LOGISTICS_WEBHOOK_SECRET: undefined }, ec);
    await waitOnExecutionContext(ec);
    expect(res.status).toBe(503);
    expect(((await res.json()) as any).error.code).toBe('logistics.webhook_not_configured');
  });

  it('validates the signed body, and answers 404 for an unknown shipment', async () => {
    const s = await shipped();
    const ev = { at: at(1), status: 'in_transit', description: '运输中' };
    expect((await send({ carrierCode: 'SF', trackingNo: s.trackingNo, events: [] })).status).toBe(400);
    expect((await send({ carrierCode: 'SF', trackingNo: s.trackingNo, events: Array.from({ length: 51 }, () => ev) })).status).toBe(400);
    expect((await send({ carrierCode: 'SF', trackingNo: s.trackingNo, events: [{ ...ev, status: 'lost' }] })).status).toBe(400);
    expect((await send({ carrierCode: 'SF', trackingNo: s.trackingNo, events: [{ ...ev, at: 'yesterday' }] })).status).toBe(400);
    expect((await send({ carrierCode: 'DHL', trackingNo: s.trackingNo, events: [ev] })).status).toBe(400);

    const unknown = await send({ carrierCode: 'SF', trackingNo: trackingNo(), events: [ev] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('logistics.shipment_not_found');
    // right number, wrong carrier
    expect((await send({ carrierCode: 'ZTO', trackingNo: s.trackingNo, events: [ev] })).status).toBe(404);
    // 50 distinct events are fine
    const fifty = Array.from({ length: 50 }, (_, i) => ({ ...ev, at: at(100 - i) }));
    expect((await send({ carrierCode: 'SF', trackingNo: s.trackingNo.toLowerCase(), events: fifty })).body).toEqual({
      accepted: 50,
      duplicates: 0,
    });
  });

  it('a delivered event delivers the order; repeating the delivery adds nothing', async () => {
    const s = await shipped();
    const deliveredAt = at(2);
    const delivery = {
      carrierCode: s.carrierCode,
      trackingNo: s.trackingNo,
      events: [
        { at: at(20), status: 'out_for_delivery', description: '派送中' },
        { at: deliveredAt, status: 'delivered', description: '已签收，本人签收' },
      ],
    };
    expect((await send(delivery)).body).toEqual({ accepted: 2, duplicates: 0 });
    const ship = await shipmentOf(s.orderId);
    expect(ship).toMatchObject({ status: 'delivered', deliveredAt: new Date(deliveredAt).toISOString() });
    expect(await orderOf(s.orderId)).toEqual({ status: 'delivered', delivered_at: Date.parse(deliveredAt) });
    expect(await deliveredTimelineEntries(s.orderId)).toBe(1);

    const again = await send(delivery);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ accepted: 0, duplicates: 2 });
    // the same instant written another way is the same event
    const sameInstant = new Date(Date.parse(deliveredAt) + 8 * 3600_000).toISOString().replace('Z', '+08:00');
    expect((await send({ ...delivery, events: [{ at: sameInstant, status: 'delivered', description: '已签收' }] })).body).toEqual({
      accepted: 0,
      duplicates: 1,
    });
    expect(await eventCount(s.orderId)).toBe(2);
    expect(await deliveredTimelineEntries(s.orderId)).toBe(1);
    expect((await shipmentOf(s.orderId)).deliveredAt).toBe(new Date(deliveredAt).toISOString());
  });

  it('counts a repeated event inside one request as a duplicate', async () => {
    const s = await shipped();
    const ev = { at: at(3), status: 'in_transit', description: '运输中' };
    expect((await send({ carrierCode: s.carrierCode, trackingNo: s.trackingNo, events: [ev, ev] })).body).toEqual({
      accepted: 1,
      duplicates: 1,
    });
  });

  it('never moves the status backwards: follows the newest event, and delivered stays delivered', async () => {
    const s = await shipped();
    const post1 = (events: unknown[]) => send({ carrierCode: s.carrierCode, trackingNo: s.trackingNo, events });
    await post1([{ at: at(50), status: 'in_transit', description: '运输中' }]);
    // an older event arriving late does not rewind
    await post1([{ at: at(60), status: 'picked_up', description: '已揽收' }]);
    expect((await shipmentOf(s.orderId)).status).toBe('in_transit');
    await post1([{ at: at(40), status: 'exception', description: '地址不详，联系收件人中' }]);
    expect((await shipmentOf(s.orderId)).status).toBe('exception');
    await post1([{ at: at(30), status: 'in_transit', description: '已联系，继续派送' }]);
    expect((await shipmentOf(s.orderId)).status).toBe('in_transit');

    const deliveredAt = at(20);
    await post1([{ at: deliveredAt, status: 'delivered', description: '已签收' }]);
    const later = await post1([
      { at: at(10), status: 'in_transit', description: '错误扫描' },
      { at: at(5), status: 'exception', description: '异常件' },
    ]);
    expect(later.body).toEqual({ accepted: 2, duplicates: 0 });
    const ship = await shipmentOf(s.orderId);
    expect(ship.status).toBe('delivered');
    expect(ship.deliveredAt).toBe(new Date(deliveredAt).toISOString());
    expect(ship.events.map((e) => e.status)).toEqual([
      'exception',
      'in_transit',
      'delivered',
      'in_transit',
      'exception',
      'in_transit',
      'picked_up',
    ]);
    expect((await orderOf(s.orderId))!.status).toBe('delivered');
  });

  it('an order with two parcels is delivered when the second arrives', async () => {
    const orderId = await shippedOrder();
    const a = await createShipment(ctxAs(), { orderId, carrierCode: 'STO', carrierName: '', trackingNo: trackingNo() });
    const b = await createShipment(ctxAs(), { orderId, carrierCode: 'YD', carrierName: '', trackingNo: trackingNo() });
    await send({ carrierCode: 'STO', trackingNo: a.trackingNo, events: [{ at: at(30), status: 'delivered', description: '已签收' }] });
    expect((await orderOf(orderId))!.status).toBe('shipped');
    const secondAt = at(10);
    await send({ carrierCode: 'YD', trackingNo: b.trackingNo, events: [{ at: secondAt, status: 'delivered', description: '已签收' }] });
    expect(await orderOf(orderId)).toEqual({ status: 'delivered', delivered_at: Date.parse(secondAt) });
  });

  it('concurrent deliveries of one parcel deliver the order once', async () => {
    const s = await shipped('JD');
    const ctx = ctxAs({ kind: 'system', name: 'carrier:JD' });
    const input = {
      carrierCode: 'JD' as const,
      trackingNo: s.trackingNo,
      events: [{ at: at(1), status: 'delivered' as const, description: '已签收' }],
    };
    const results = await Promise.all(Array.from({ length: 4 }, () => applyTrackingUpdate(ctx, input)));
    expect(results.filter((r) => r.newlyDelivered)).toHaveLength(1);
    expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(1);
    expect(await deliveredTimelineEntries(s.orderId)).toBe(1);
    const actor = await env.DB.prepare("SELECT actor_type, actor_id FROM order_events WHERE order_id = ? AND type = 'delivered'")
      .bind(s.orderId)
      .first();
    expect(actor).toEqual({ actor_type: 'carrier', actor_id: 'carrier:JD' });
  });
});
