import { beforeAll, describe, expect, it } from 'vitest';
import { adminToken, api, staffToken } from '../../test/helpers';
import { paidOrder, type PaidOrder } from '../../test/aftersales';

// The agent's tools beside the chat: 升级, 补偿券 within the role's limit, an after-sale on the
// ticket's order, and the compliance screen on what is said.

const start = (token: string, body: unknown = {}) => api('POST', '/store/v1/me/support/conversations', { token, body });
const send = (token: string, convId: string, text: string) =>
  api('POST', `/store/v1/me/support/conversations/${convId}/messages`, {
    token,
    body: { text, clientMessageId: `m-${crypto.randomUUID()}` },
  });
const ticketApi = (token: string, ticketId: string, action: string, body: unknown, headers?: Record<string, string>) =>
  api('POST', `/admin/v1/support/tickets/${ticketId}/${action}`, { token, body, headers });

/** A paid order whose shopper asked for a person about it: { order, conversationId, ticketId }. */
async function ticketAboutOrder(): Promise<{ order: PaidOrder; conversationId: string; ticketId: string }> {
  const order = await paidOrder({ price: 5000, qty: 2 });
  const conv = (await start(order.token, { orderId: order.orderId })).body;
  const r = await send(order.token, conv.id, '转人工');
  expect(r.body.conversation.ticketId, JSON.stringify(r.body)).toBeTruthy();
  return { order, conversationId: conv.id, ticketId: r.body.conversation.ticketId };
}

let admin: string;
let support: string;
let merchant: string;
beforeAll(async () => {
  admin = await adminToken();
  support = await staffToken('support');
  merchant = await staffToken('merchant', (await paidOrder()).merchantId);
});

describe('escalateTicket', () => {
  it('climbs one level per click — also when two agents click at once — to the top of the queue, with a note', async () => {
    const { ticketId } = await ticketAboutOrder();
    const before = (await api('GET', `/admin/v1/support/tickets/${ticketId}`, { token: support })).body.ticket;
    const rs = await Promise.all(
      [1, 2, 3].map(() => ticketApi(support, ticketId, 'escalate', { level: 1, reason: '顾客要求赔付，需要资深客服' })),
    );
    for (const r of rs) expect(r.status, JSON.stringify(r.body)).toBe(200);
    const detail = (await api('GET', `/admin/v1/support/tickets/${ticketId}`, { token: support })).body;
    expect(detail.ticket.escalationLevel).toBe(1);
    expect(detail.ticket.priority).toBe(before.priority + 100);
    expect(detail.ticket.assigneeId).toBeNull();
    expect(
      detail.messages.filter((m: { sender: string; body: string }) => m.sender === 'note' && m.body.includes('资深客服')),
    ).toHaveLength(1);
    const queue = (await api('GET', '/admin/v1/support/tickets?escalated=true&limit=100', { token: support })).body.items;
    expect(queue.some((t: { id: string }) => t.id === ticketId)).toBe(true);

    const boss = await ticketApi(support, ticketId, 'escalate', { level: 2, reason: '升级到主管' });
    expect(boss.body).toMatchObject({ escalationLevel: 2, priority: before.priority + 200 });
    // racing to level 1 and level 2 at once: the priority ends 200 up whichever lands first
    const race = (await ticketAboutOrder()).ticketId;
    const start = (await api('GET', `/admin/v1/support/tickets/${race}`, { token: support })).body.ticket.priority;
    await Promise.all([
      ticketApi(support, race, 'escalate', { level: 1, reason: '资深处理' }),
      ticketApi(support, race, 'escalate', { level: 2, reason: '主管处理' }),
    ]);
    expect((await api('GET', `/admin/v1/support/tickets/${race}`, { token: support })).body.ticket).toMatchObject({
      escalationLevel: 2,
      priority: start + 200,
    });
    const down = await ticketApi(support, ticketId, 'escalate', { level: 1, reason: '降回去' });
    expect(down.status).toBe(409);
    expect(down.body.error.code).toBe('support.already_escalated');
    expect((await ticketApi(support, ticketId, 'escalate', { level: 3, reason: '再升级' })).status).toBe(400);
  });

  it('refuses a merchant, an unknown assignee and bad input', async () => {
    const { ticketId } = await ticketAboutOrder();
    expect((await ticketApi(merchant, ticketId, 'escalate', { level: 1, reason: '升级处理' })).status).toBe(403);
    const bad = await ticketApi(support, ticketId, 'escalate', { level: 1, reason: '升级处理', assigneeId: 'stf_nobody' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('support.bad_assignee');
    expect((await ticketApi(support, ticketId, 'escalate', {})).status).toBe(400);
  });
});

describe('compensateTicket', () => {
  const template = async (body: Record<string, unknown>) => {
    const r = await api('POST', '/admin/v1/coupon-templates', {
      token: admin,
      body: { name: '客服补偿券', kind: 'amount_off', threshold: 0, validDays: 30, totalQuantity: 1000, channels: ['segment'], ...body },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as string;
  };
  let small: string; // ¥10, within support's ¥20
  let big: string; // ¥50: operators and admins only
  let uncapped: string;
  beforeAll(async () => {
    small = await template({ amountOff: 1000 });
    big = await template({ amountOff: 5000 });
    uncapped = await template({ kind: 'percent_off', rate: 90, amountOff: undefined });
  });

  it('issues one coupon per ticket however many clicks race, tells the shopper, and answers a repeat with it', async () => {
    const { order, conversationId, ticketId } = await ticketAboutOrder();
    const rs = await Promise.all(
      Array.from({ length: 6 }, () => ticketApi(support, ticketId, 'compensation', { templateId: small, reason: '物流延误' })),
    );
    for (const r of rs) expect(r.status, JSON.stringify(r.body)).toBe(200);
    const couponIds = new Set(rs.map((r) => r.body.couponId));
    expect(couponIds.size).toBe(1);
    const [couponId] = [...couponIds];
    expect(rs[0]!.body.ticket.compensationCouponId).toBe(couponId);
    const mine = await api('GET', '/store/v1/me/coupons?limit=50', { token: order.token });
    expect(mine.body.items.filter((c: { templateId: string }) => c.templateId === small)).toHaveLength(1);
    const chat = await api('GET', `/store/v1/me/support/conversations/${conversationId}/messages`, { token: order.token });
    expect(
      chat.body.items.filter((m: { sender: string; body: string }) => m.sender === 'agent' && m.body.includes('客服补偿券')),
    ).toHaveLength(1);

    const other = await ticketApi(admin, ticketId, 'compensation', { templateId: big, reason: '再补一张' });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('support.already_compensated');
  });

  it('holds each role to its limit and refuses uncapped coupons, merchants and bad input', async () => {
    const { ticketId } = await ticketAboutOrder();
    const offered = await api('GET', '/admin/v1/support/compensation-coupons', { token: support });
    expect(offered.body.limit).toBe(2000);
    const ids = offered.body.items.map((t: { id: string }) => t.id);
    expect(ids).toContain(small);
    expect(ids).not.toContain(big);
    expect(ids).not.toContain(uncapped);
    expect((await api('GET', '/admin/v1/support/compensation-coupons', { token: merchant })).status).toBe(403);
    const over = await ticketApi(support, ticketId, 'compensation', { templateId: big, reason: '质量问题' });
    expect(over.status).toBe(403);
    expect(over.body.error.code).toBe('support.compensation_over_limit');
    expect(over.body.error.details).toMatchObject({ worth: 5000, limit: 2000 });
    const open = await ticketApi(support, ticketId, 'compensation', { templateId: uncapped, reason: '质量问题' });
    expect(open.status).toBe(400);
    expect(open.body.error.code).toBe('support.compensation_uncapped');
    expect((await ticketApi(merchant, ticketId, 'compensation', { templateId: small, reason: '质量问题' })).status).toBe(403);
    expect((await ticketApi(support, ticketId, 'compensation', { templateId: small })).status).toBe(400);
    // nothing above was issued, so an admin's ¥50 (limit ¥500) is still this ticket's one compensation
    const ok = await ticketApi(admin, ticketId, 'compensation', { templateId: big, reason: '质量问题' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });
});

describe('openTicketAfterSale', () => {
  it("files the after-sale on the ticket's order through the shopper's rules, once per key", async () => {
    const { order, conversationId, ticketId } = await ticketAboutOrder();
    const body = { type: 'refund_only', reason: '不想要了', lines: [{ orderLineId: order.lineId, quantity: 1 }] };
    const key = { 'idempotency-key': `tas-${crypto.randomUUID()}` };
    const a = await ticketApi(support, ticketId, 'after-sales', body, key);
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    const b = await ticketApi(support, ticketId, 'after-sales', body, key);
    expect(b.status).toBe(200);
    expect(b.body.id).toBe(a.body.id);
    const theirs = await api('GET', `/store/v1/after-sales/${a.body.id}`, { token: order.token });
    expect(theirs.status).toBe(200);
    const chat = await api('GET', `/store/v1/me/support/conversations/${conversationId}/messages`, { token: order.token });
    expect(chat.body.items.filter((m: { body: string }) => m.body.includes('仅退款申请'))).toHaveLength(1);
    // the shopper's rules hold: more units than the line has
    const tooMany = await ticketApi(
      support,
      ticketId,
      'after-sales',
      { ...body, lines: [{ orderLineId: order.lineId, quantity: 99 }] },
      {
        'idempotency-key': `tas-${crypto.randomUUID()}`,
      },
    );
    expect(tooMany.status).toBeGreaterThanOrEqual(400);
    expect(tooMany.status).toBeLessThan(500);
  });

  it('refuses a merchant, a ticket not about an order, and a missing key', async () => {
    const { order, ticketId } = await ticketAboutOrder();
    const body = { type: 'refund_only', reason: '不想要了', lines: [{ orderLineId: order.lineId, quantity: 1 }] };
    expect((await ticketApi(merchant, ticketId, 'after-sales', body, { 'idempotency-key': `tas-${crypto.randomUUID()}` })).status).toBe(
      403,
    );
    expect((await ticketApi(support, ticketId, 'after-sales', body)).status).toBe(400);
    // a shopper who asked from 我的, not from an order
    const other = await paidOrder();
    const plain = (await start(other.token)).body;
    const noOrderTicket = (await send(other.token, plain.id, '转人工')).body.conversation.ticketId;
    const none = await ticketApi(
      support,
      noOrderTicket,
      'after-sales',
      { ...body, lines: [{ orderLineId: other.lineId, quantity: 1 }] },
      {
        'idempotency-key': `tas-${crypto.randomUUID()}`,
      },
    );
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe('support.no_order');
  });
});

describe('screening in the chat', () => {
  it("shows agents what the screen found in a shopper's message, hides it from the shopper, and refuses an abusive reply", async () => {
    const { order, conversationId, ticketId } = await ticketAboutOrder();
    const said = await send(order.token, conversationId, '你们客服不回，加微信私聊可以吗');
    expect(said.status).toBe(200);
    expect(said.body.message.screen).toBeNull();
    const mine = await api('GET', `/store/v1/me/support/conversations/${conversationId}/messages`, { token: order.token });
    expect(mine.body.items.every((m: { screen: unknown }) => m.screen === null)).toBe(true);
    const seen = (await api('GET', `/admin/v1/support/tickets/${ticketId}`, { token: support })).body.messages;
    const flagged = seen.find((m: { body: string }) => m.body.startsWith('你们客服不回'));
    expect(flagged.screen.verdict).toBe('review');
    expect(flagged.screen.matches[0]).toMatchObject({ term: '加微信', start: 7, end: 10 });

    const rude = await ticketApi(support, ticketId, 'replies', { text: '你这个傻逼问题', clientMessageId: `r-${crypto.randomUUID()}` });
    expect(rude.status).toBe(400);
    expect(rude.body.error.code).toBe('support.reply_blocked');
    expect(rude.body.error.details.matches[0].term).toBe('傻逼');
    // advice is not advertising: 广告法 terms do not apply to what agents say
    const advice = await ticketApi(support, ticketId, 'replies', {
      text: '您最好先申请退款，这是第一步',
      clientMessageId: `r-${crypto.randomUUID()}`,
    });
    expect(advice.status, JSON.stringify(advice.body)).toBe(200);
  });
});
