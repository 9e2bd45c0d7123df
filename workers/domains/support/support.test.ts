import { describe, expect, it } from 'vitest';
import { api, env, shopperToken, staffToken } from '../../../test/helpers';
import { systemCtx } from '../../../test/ctx';
import { paidOrder, shipOrder, makeMerchant } from '../../../test/aftersales';
import { recordTrackingEvents } from '../logistics/shipments.service';

const start = (token: string, body?: unknown) => api('POST', '/store/v1/me/support/conversations', { token, body: body ?? {} });
const send = (token: string, convId: string, text: string, clientMessageId = `m-${crypto.randomUUID()}`) =>
  api('POST', `/store/v1/me/support/conversations/${convId}/messages`, { token, body: { text, clientMessageId } });
const list = (token: string, convId: string, after = 0) =>
  api('GET', `/store/v1/me/support/conversations/${convId}/messages?after=${after}`, { token });
const fresh = () => shopperToken(`support-${crypto.randomUUID().slice(0, 8)}`);

describe('conversations', () => {
  it('20 concurrent starts give one conversation with one greeting', async () => {
    const token = await fresh();
    const rs = await Promise.all(Array.from({ length: 20 }, () => start(token)));
    for (const r of rs) expect([200, 201], JSON.stringify(r.body)).toContain(r.status);
    expect(new Set(rs.map((r) => r.body.id)).size).toBe(1);
    expect(rs.filter((r) => r.status === 201)).toHaveLength(1);
    const l = await list(token, rs[0]!.body.id);
    expect(l.body.items.map((m: { source: string }) => m.source)).toEqual(['greeting']);
  });

  it('a retried send is stored once and answers the first reply', async () => {
    const token = await fresh();
    const conv = (await start(token)).body;
    const a = await send(token, conv.id, '积分有多少', 'client-msg-0001');
    const b = await send(token, conv.id, '积分有多少', 'client-msg-0001');
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(a.body.duplicate).toBe(false);
    expect(b.body.duplicate).toBe(true);
    expect(b.body.message.id).toBe(a.body.message.id);
    expect(b.body.replies.map((m: { id: string }) => m.id)).toEqual(a.body.replies.map((m: { id: string }) => m.id));
    const all = await list(token, conv.id);
    expect(all.body.items.map((m: { sender: string }) => m.sender)).toEqual(['bot', 'shopper', 'bot']);
    // the seq cursor: only what came after
    const after = await list(token, conv.id, all.body.items[1].seq);
    expect(after.body.items).toHaveLength(1);
  });

  it("a shopper cannot read, write to or start about another shopper's conversation or order", async () => {
    const owner = await paidOrder();
    const conv = (await start(owner.token, { orderId: owner.orderId })).body;
    expect(conv.orderId).toBe(owner.orderId);
    const other = await fresh();
    expect((await list(other, conv.id)).status).toBe(404);
    expect((await send(other, conv.id, '你好')).status).toBe(404);
    const r = await start(other, { orderId: owner.orderId });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('orders.not_found');
    expect((await api('GET', `/store/v1/me/support/conversations/${conv.id}/messages`)).status).toBe(401);
  });

  it('bad input is a 400, never a 500', async () => {
    const token = await fresh();
    const conv = (await start(token)).body;
    expect((await send(token, conv.id, '', 'client-msg-0002')).status).toBe(400);
    expect((await send(token, conv.id, 'hi', 'x')).status).toBe(400);
  });
});

describe('auto-reply', () => {
  it('"我的快递到哪了" answers with the latest tracking event of the shipped order', async () => {
    const o = await paidOrder();
    await shipOrder(o.orderId);
    const s = await env.DB.prepare('SELECT carrier_code, tracking_no FROM shipments WHERE order_id = ?')
      .bind(o.orderId)
      .first<{ carrier_code: string; tracking_no: string }>();
    await recordTrackingEvents(systemCtx(), {
      carrierCode: s!.carrier_code as 'SF',
      trackingNo: s!.tracking_no,
      events: [
        { at: new Date(Date.now() - 3_600_000).toISOString(), status: 'picked_up', description: '快件已揽收', location: '深圳' },
        {
          at: new Date(Date.now() - 60_000).toISOString(),
          status: 'in_transit',
          description: '快件已到达【杭州转运中心】',
          location: '杭州',
        },
      ],
    });
    const conv = (await start(o.token)).body;
    const r = await send(o.token, conv.id, '我的快递到哪了');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.replies[0].source).toBe('intent:logistics');
    expect(r.body.replies[0].body).toContain('快件已到达【杭州转运中心】');
    expect(r.body.replies[0].body).toContain(s!.tracking_no);
    expect(r.body.conversation.mode).toBe('bot');
  });

  it("after-sales and coupon/points questions answer from rules and the shopper's balances", async () => {
    const token = await fresh();
    const conv = (await start(token)).body;
    const a = await send(token, conv.id, '怎么退货');
    expect(a.body.replies[0].source).toBe('intent:aftersale');
    expect(a.body.replies[0].body).toContain('/pages/after-sales/index');
    const b = await send(token, conv.id, '我有几张优惠券');
    expect(b.body.replies[0].body).toContain('0 张可用优惠券');
    expect(b.body.replies[0].body).toContain('积分余额 0');
  });

  it('an FAQ answers a paraphrase; disabled, the question goes to a person', async () => {
    const admin = await staffToken('support');
    const faq = await api('POST', '/admin/v1/support/faqs', {
      token: admin,
      body: { question: '下单后多久发货', answer: '现货商品48小时内发货。', keywords: ['发货时间', '什么时候发'] },
    });
    expect(faq.status, JSON.stringify(faq.body)).toBe(201);
    const token = await fresh();
    const conv = (await start(token)).body;
    const r = await send(token, conv.id, '下单以后多久能发货？');
    expect(r.body.replies[0].source).toBe(`faq:${faq.body.id}`);
    expect(r.body.replies[0].body).toBe('现货商品48小时内发货。');
    const off = await api('PATCH', `/admin/v1/support/faqs/${faq.body.id}`, { token: admin, body: { enabled: false } });
    expect(off.body.enabled).toBe(false);
    const again = await send(token, conv.id, '下单以后多久能发货？');
    expect(again.body.replies[0].source).toBe('handoff:low_confidence');
    expect(again.body.conversation.mode).toBe('human');
  });
});

describe('tickets', () => {
  it('an unknown question becomes a ticket; a support agent lists and replies, a merchant cannot; close and rate', async () => {
    const token = await fresh();
    const conv = (await start(token)).body;
    const r = await send(token, conv.id, '你们的包装盒可以回收做手工吗');
    expect(r.body.replies[0].source).toBe('handoff:low_confidence');
    expect(r.body.conversation.mode).toBe('human');
    const ticketId = r.body.conversation.ticketId as string;
    expect(ticketId).toMatch(/^tkt_/);

    const merchant = await staffToken('merchant', await makeMerchant());
    expect((await api('GET', '/admin/v1/support/tickets', { token: merchant })).status).toBe(403);
    expect(
      (
        await api('POST', `/admin/v1/support/tickets/${ticketId}/replies`, {
          token: merchant,
          body: { text: 'x', clientMessageId: 'agent-msg-0001' },
        })
      ).status,
    ).toBe(403);
    const operator = await staffToken('operator');
    expect((await api('GET', '/admin/v1/support/tickets', { token: operator })).status).toBe(403);

    const agent = await staffToken('support');
    const q = await api('GET', '/admin/v1/support/tickets', { token: agent });
    expect(q.status).toBe(200);
    const t = q.body.items.find((x: { id: string }) => x.id === ticketId);
    expect(t).toMatchObject({
      status: 'open',
      reason: 'low_confidence',
      subject: '你们的包装盒可以回收做手工吗',
      firstResponseBreached: false,
    });

    // while an agent has it, the bot stays quiet
    const quiet = await send(token, conv.id, '还在吗');
    expect(quiet.body.replies).toEqual([]);

    const reply = () =>
      api('POST', `/admin/v1/support/tickets/${ticketId}/replies`, {
        token: agent,
        body: { text: '可以的，欢迎再利用', clientMessageId: 'agent-msg-0002' },
      });
    const [r1, r2] = await Promise.all([reply(), reply()]);
    expect(r1.status, JSON.stringify(r1.body)).toBe(200);
    expect(r1.body.message.id).toBe(r2.body.message.id);
    expect(r1.body.ticket.firstResponseAt).not.toBeNull();
    const seen = await list(token, conv.id);
    expect(seen.body.items.filter((m: { sender: string }) => m.sender === 'agent').map((m: { body: string }) => m.body)).toEqual([
      '可以的，欢迎再利用',
    ]);

    // rating before close is refused
    const early = await api('POST', `/store/v1/me/support/conversations/${conv.id}/rating`, { token, body: { rating: 5 } });
    expect(early.status).toBe(409);
    const closed = await api('POST', `/admin/v1/support/tickets/${ticketId}/close`, { token: agent });
    expect(closed.body.status).toBe('closed');
    expect((await send(token, conv.id, '谢谢')).status).toBe(409);
    const rate = await api('POST', `/store/v1/me/support/conversations/${conv.id}/rating`, { token, body: { rating: 5 } });
    expect(rate.status, JSON.stringify(rate.body)).toBe(200);
    expect(rate.body.rating).toBe(5);
    expect((await api('POST', `/store/v1/me/support/conversations/${conv.id}/rating`, { token, body: { rating: 5 } })).status).toBe(200);
    expect((await api('POST', `/store/v1/me/support/conversations/${conv.id}/rating`, { token, body: { rating: 1 } })).status).toBe(409);
    expect((await api('POST', `/store/v1/me/support/conversations/${conv.id}/rating`, { token, body: { rating: 6 } })).status).toBe(400);
    const other = await fresh();
    expect((await api('POST', `/store/v1/me/support/conversations/${conv.id}/rating`, { token: other, body: { rating: 1 } })).status).toBe(
      404,
    );
    // the shopper's previous tickets, for the inbox
    const history = await api('GET', `/admin/v1/support/tickets?status=closed&userId=${closed.body.userId}`, { token: agent });
    expect(history.body.items.map((x: { id: string; rating: number }) => [x.id, x.rating])).toEqual([[ticketId, 5]]);
    // a new question starts a new conversation
    const next = await start(token);
    expect(next.status).toBe(201);
    expect(next.body.id).not.toBe(conv.id);
  });

  it('转人工 makes one ticket however often it is asked; angry words raise the priority', async () => {
    const calm = await fresh();
    const c1 = (await start(calm)).body;
    const [a, b] = await Promise.all([send(calm, c1.id, '转人工'), send(calm, c1.id, '转人工客服')]);
    const tickets = await env.DB.prepare('SELECT id, reason, priority FROM support_tickets WHERE conversation_id = ?')
      .bind(c1.id)
      .all<{ id: string; reason: string; priority: number }>();
    expect(tickets.results).toHaveLength(1);
    expect(tickets.results[0]!.reason).toBe('requested');
    expect([a.body.conversation.ticketId, b.body.conversation.ticketId]).toContain(tickets.results[0]!.id);

    const angry = await fresh();
    const c2 = (await start(angry)).body;
    await send(angry, c2.id, '转人工，我要投诉你们');
    const t2 = await env.DB.prepare('SELECT priority FROM support_tickets WHERE conversation_id = ?')
      .bind(c2.id)
      .first<{ priority: number }>();
    expect(t2!.priority).toBeGreaterThan(tickets.results[0]!.priority);
  });
});

describe('internal notes', () => {
  it('agents see a note in the ticket; the shopper never does, and it is not a first response', async () => {
    const token = await fresh();
    const conv = (await start(token)).body;
    const r = await send(token, conv.id, '转人工');
    const ticketId = r.body.conversation.ticketId as string;
    const agent = await staffToken('support');
    const note = await api('POST', `/admin/v1/support/tickets/${ticketId}/notes`, {
      token: agent,
      body: { text: '老顾客，注意语气', clientMessageId: 'note-msg-0001' },
    });
    expect(note.status, JSON.stringify(note.body)).toBe(200);
    expect(note.body.message.sender).toBe('note');
    const detail = await api('GET', `/admin/v1/support/tickets/${ticketId}`, { token: agent });
    expect(detail.body.messages.map((m: { sender: string }) => m.sender)).toContain('note');
    expect(detail.body.ticket.firstResponseAt).toBeNull();
    const shopperView = await list(token, conv.id);
    expect(shopperView.body.items.map((m: { sender: string }) => m.sender)).not.toContain('note');
    const merchant = await staffToken('merchant', await makeMerchant());
    expect(
      (
        await api('POST', `/admin/v1/support/tickets/${ticketId}/notes`, {
          token: merchant,
          body: { text: 'x', clientMessageId: 'note-msg-0002' },
        })
      ).status,
    ).toBe(403);
  });
});

describe('canned replies', () => {
  it('an FAQ editor writes them, agents list them, a merchant cannot', async () => {
    const support = await staffToken('support');
    const created = await api('POST', '/admin/v1/support/canned-replies', {
      token: support,
      body: { title: '发货时间', body: '现货48小时内发货，请耐心等待。' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const listed = await api('GET', '/admin/v1/support/canned-replies', { token: support });
    expect(listed.body.items.map((x: { id: string }) => x.id)).toContain(created.body.id);
    const off = await api('PATCH', `/admin/v1/support/canned-replies/${created.body.id}`, { token: support, body: { enabled: false } });
    expect(off.body.enabled).toBe(false);
    expect((await api('PATCH', `/admin/v1/support/canned-replies/${created.body.id}`, { token: support, body: {} })).status).toBe(400);
    const merchant = await staffToken('merchant', await makeMerchant());
    expect((await api('GET', '/admin/v1/support/canned-replies', { token: merchant })).status).toBe(403);
  });
});
