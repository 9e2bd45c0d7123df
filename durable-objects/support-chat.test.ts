import { SELF, env, evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, shopperToken, staffToken } from '../test/helpers';
import type { SupportChat } from './support-chat';

const chat = (conversationId: string) =>
  env.SUPPORT_CHAT.get(env.SUPPORT_CHAT.idFromName(conversationId)) as unknown as DurableObjectStub<SupportChat>;
const runIn = runInDurableObject as unknown as <R>(
  stub: DurableObjectStub<SupportChat>,
  fn: (instance: SupportChat, state: DurableObjectState) => R | Promise<R>,
) => Promise<R>;

interface Frame {
  type: string;
  message: { seq: number; sender: string; body: string };
}

/** Opens a live socket through the Worker's route, collecting the frames it receives. */
async function connect(path: string, token: string) {
  const res = await SELF.fetch(`http://edgemall.test${path}`, { headers: { upgrade: 'websocket', authorization: `Bearer ${token}` } });
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  const frames: Frame[] = [];
  ws.accept();
  ws.addEventListener('message', (e) => frames.push(JSON.parse(e.data as string) as Frame));
  return { ws, frames };
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
  expect(cond()).toBe(true);
};

const send = (token: string, convId: string, text: string) =>
  api('POST', `/store/v1/me/support/conversations/${convId}/messages`, {
    token,
    body: { text, clientMessageId: `m-${crypto.randomUUID()}` },
  });

describe('SupportChat', () => {
  it('relays each stored message live to the shopper and the agent', async () => {
    const token = await shopperToken(`live-${crypto.randomUUID().slice(0, 8)}`);
    const conv = (await api('POST', '/store/v1/me/support/conversations', { token, body: {} })).body;
    const shopper = await connect(`/store/v1/me/support/conversations/${conv.id}/live`, token);
    const r = await send(token, conv.id, '转人工');
    await until(() => shopper.frames.length >= 2);
    expect(shopper.frames.map((f) => f.message.sender)).toEqual(['shopper', 'bot']);

    const agentToken = await staffToken('support');
    const ticketId = r.body.conversation.ticketId;
    const agent = await connect(`/admin/v1/support/tickets/${ticketId}/live`, agentToken);
    expect(await runIn(chat(conv.id), (i) => i.connected())).toEqual({ shopper: 1, agent: 1 });
    await api('POST', `/admin/v1/support/tickets/${ticketId}/replies`, {
      token: agentToken,
      body: { text: '您好，我来帮您', clientMessageId: 'agent-live-0001' },
    });
    await until(() => shopper.frames.length >= 3 && agent.frames.length >= 1);
    expect(shopper.frames[2]!.message.body).toBe('您好，我来帮您');
    expect(agent.frames[0]!.message.body).toBe('您好，我来帮您');

    // an internal note reaches the agents' sockets only
    await api('POST', `/admin/v1/support/tickets/${ticketId}/notes`, {
      token: agentToken,
      body: { text: '内部：已核实订单', clientMessageId: 'note-live-0001' },
    });
    await until(() => agent.frames.length >= 2);
    expect(agent.frames[1]!.message.sender).toBe('note');
    await send(token, conv.id, '好的');
    await until(() => shopper.frames.length >= 4);
    expect(shopper.frames.map((f) => f.message.sender)).toEqual(['shopper', 'bot', 'agent', 'shopper']);

    // the live routes are authorised like the rest
    const other = await shopperToken(`live-other-${crypto.randomUUID().slice(0, 8)}`);
    const denied = await SELF.fetch(`http://edgemall.test/store/v1/me/support/conversations/${conv.id}/live`, {
      headers: { upgrade: 'websocket', authorization: `Bearer ${other}` },
    });
    expect(denied.status).toBe(404);
    shopper.ws.close(1000, 'done');
    agent.ws.close(1000, 'done');
  });

  it('survives eviction without losing a message: D1 holds them, a reconnected client reads everything and hears the next', async () => {
    const token = await shopperToken(`evict-${crypto.randomUUID().slice(0, 8)}`);
    const conv = (await api('POST', '/store/v1/me/support/conversations', { token, body: {} })).body;
    const first = await connect(`/store/v1/me/support/conversations/${conv.id}/live`, token);
    await send(token, conv.id, '怎么退货');
    await until(() => first.frames.length >= 2);

    const stub = chat(conv.id);
    // the object keeps no messages of its own: nothing to lose
    expect(await runIn(stub, async (_i, state) => (await state.storage.list()).size)).toBe(0);
    await stub.connected(); // eviction needs a running instance
    await evictDurableObject(stub);

    // while (and after) the object was gone, messages keep arriving in D1
    await send(token, conv.id, '我的快递到哪了');
    await send(token, conv.id, '我有多少积分');

    // a client reconnects to the re-created object and reads everything from D1, in order
    const again = await connect(`/store/v1/me/support/conversations/${conv.id}/live`, token);
    const all = await api('GET', `/store/v1/me/support/conversations/${conv.id}/messages?after=0`, { token });
    const seqs = all.body.items.map((m: { seq: number }) => m.seq);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(all.body.items.map((m: { sender: string }) => m.sender)).toEqual(['bot', 'shopper', 'bot', 'shopper', 'bot', 'shopper', 'bot']);

    // and the re-created object relays the next message live
    await send(token, conv.id, '转人工');
    await until(() => again.frames.some((f) => f.message.seq === 9));
    expect(again.frames.map((f) => f.message.seq)).toEqual([8, 9]);
    again.ws.close(1000, 'done');
    try {
      first.ws.close(1000, 'done');
    } catch {
      // eviction may have closed it already
    }
  });
});
