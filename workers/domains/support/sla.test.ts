import { describe, expect, it } from 'vitest';
import { api, env, shopperToken, staffToken } from '../../../test/helpers';
import { systemCtx } from '../../../test/ctx';
import { runScheduled } from '../../scheduled';
import { makeMerchant } from '../../../test/aftersales';
import { FIRST_RESPONSE_SLA_MS, RESOLUTION_SLA_MS, flagSlaBreaches } from './tickets.service';

async function ticketFor(text: string) {
  const token = await shopperToken(`sla-${crypto.randomUUID().slice(0, 8)}`);
  const conv = (await api('POST', '/store/v1/me/support/conversations', { token, body: {} })).body;
  const r = await api('POST', `/store/v1/me/support/conversations/${conv.id}/messages`, {
    token,
    body: { text, clientMessageId: `m-${crypto.randomUUID()}` },
  });
  return r.body.conversation.ticketId as string;
}

const row = (id: string) =>
  env.DB.prepare('SELECT first_response_breached_at AS fr, resolution_breached_at AS res, created_at FROM support_tickets WHERE id = ?')
    .bind(id)
    .first<{ fr: number | null; res: number | null; created_at: number }>();

describe('SLA breaches', () => {
  it('the cron flags a missed first response exactly once, not an answered ticket, and the resolution breach later', async () => {
    const waiting = await ticketFor('转人工');
    const answered = await ticketFor('转人工');
    const agent = await staffToken('support');
    await api('POST', `/admin/v1/support/tickets/${answered}/replies`, {
      token: agent,
      body: { text: '您好', clientMessageId: 'agent-sla-0001' },
    });
    const created = (await row(waiting))!.created_at;

    // before the due time nothing is flagged
    expect(await flagSlaBreaches(systemCtx(created + FIRST_RESPONSE_SLA_MS - 1))).toEqual({ firstResponse: 0, resolution: 0 });

    // the cron, past the first-response due time, run twice and concurrently: one stamp
    const t1 = created + FIRST_RESPONSE_SLA_MS + 60_000;
    await runScheduled(t1, env);
    expect((await row(waiting))!.fr).toBe(t1);
    const again = await Promise.all([1, 2, 3].map((i) => flagSlaBreaches(systemCtx(t1 + i * 60_000))));
    expect(again.map((r) => r.firstResponse)).toEqual([0, 0, 0]);
    expect((await row(waiting))!.fr).toBe(t1);
    expect((await row(answered))!.fr).toBeNull();

    // the console sees the flag
    const list = await api('GET', '/admin/v1/support/tickets', { token: agent });
    const w = list.body.items.find((t: { id: string }) => t.id === waiting);
    expect(w).toMatchObject({ firstResponseBreached: true, resolutionBreached: false });

    // resolution: both open tickets breach once
    const t2 = created + RESOLUTION_SLA_MS + 60_000;
    expect((await flagSlaBreaches(systemCtx(t2))).resolution).toBe(2);
    expect((await flagSlaBreaches(systemCtx(t2 + 60_000))).resolution).toBe(0);
    // a closed ticket is never flagged
    const closedOne = await ticketFor('转人工');
    await api('POST', `/admin/v1/support/tickets/${closedOne}/close`, { token: agent });
    expect(await flagSlaBreaches(systemCtx(t2 + 2 * RESOLUTION_SLA_MS))).toEqual({ firstResponse: 0, resolution: 0 });
  });
});

describe('service report', () => {
  it('counts bot-only conversations, tickets, response times, CSAT and complaint reasons for the week', async () => {
    const agent = await staffToken('support');
    const before = (await api('GET', '/admin/v1/support/report?weeks=1', { token: agent })).body.weeks[0];
    // one conversation the bot answers alone
    const a = await shopperToken(`rep-${crypto.randomUUID().slice(0, 8)}`);
    const ca = (await api('POST', '/store/v1/me/support/conversations', { token: a, body: {} })).body;
    await api('POST', `/store/v1/me/support/conversations/${ca.id}/messages`, {
      token: a,
      body: { text: '怎么退货', clientMessageId: 'rep-msg-0001' },
    });
    // one that becomes a ticket about a late parcel, answered, closed and rated 4
    const ticketId = await ticketFor('转人工 包裹一直没收到');
    await api('POST', `/admin/v1/support/tickets/${ticketId}/replies`, {
      token: agent,
      body: { text: '马上查', clientMessageId: 'rep-agent-0001' },
    });
    await api('POST', `/admin/v1/support/tickets/${ticketId}/close`, { token: agent });
    const conv = (await env.DB.prepare('SELECT conversation_id AS c, user_id AS u FROM support_tickets WHERE id = ?')
      .bind(ticketId)
      .first<{ c: string }>())!;
    await env.DB.prepare('UPDATE support_tickets SET rating = 4 WHERE id = ?').bind(ticketId).run();

    const r = await api('GET', '/admin/v1/support/report?weeks=1', { token: agent });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const w = r.body.weeks[0];
    expect(w.conversations - before.conversations).toBe(2);
    expect(w.resolvedByBot - before.resolvedByBot).toBe(1);
    expect(w.tickets - before.tickets).toBe(1);
    expect(w.csat).not.toBeNull();
    expect(r.body.topQuestions.map((q: { source: string }) => q.source)).toContain('intent:aftersale');
    expect(r.body.complaintReasons.map((x: { reason: string }) => x.reason)).toContain('物流延迟');
    expect(conv.c).toBeTruthy();
    const merchant = await staffToken('merchant', await makeMerchant());
    expect((await api('GET', '/admin/v1/support/report', { token: merchant })).status).toBe(403);
  });
});
