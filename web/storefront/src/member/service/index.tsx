import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text, Input, Button, ScrollView } from '@tarojs/components';
import type { OperationResult } from '@edgemall/client/operation-client';
import { api, toastError } from '@/api';
import { go } from '@/lib/nav';
import { Price } from '@/components/price';
import { PageState } from '@/components/page-state';
import { usePolling } from '@/hooks/use-polling';
import './index.css';

type Conversation = OperationResult<'startSupportConversation'>;
type Message = OperationResult<'listSupportMessages'>['items'][number];
type Order = OperationResult<'getOrder'>;

/** New messages (an agent's reply) are fetched every few seconds from the last seq seen. */
const POLL_MS = 3_000;

const clientId = () => `c-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/** Merges messages by id and keeps them in seq order (a poll and a send's answer may overlap). */
const merge = (a: Message[], b: Message[]) => {
  const byId = new Map(a.map((m) => [m.id, m]));
  for (const m of b) byId.set(m.id, m);
  return [...byId.values()].sort((x, y) => x.seq - y.seq);
};

/**
 * 客服: the shopper's conversation — the 7×24 auto-reply first (物流, 退货, 优惠券/积分, FAQ), an
 * agent once it became a ticket. Opened from 我的 or an order (?orderId=, shown as the order card).
 * Polls for new messages; after an agent closes it, asks for a 1–5 rating.
 */
export default function ServicePage() {
  const { params } = useRouter();
  const orderId = params.orderId || undefined;
  const [conv, setConv] = useState<Conversation | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const lastSeq = useRef(0);

  const begin = useCallback(async () => {
    setError(undefined);
    try {
      const c = await api.call('startSupportConversation', { body: orderId ? { orderId } : {} });
      lastSeq.current = 0;
      setMessages([]);
      setConv(c);
    } catch (e) {
      setError(e);
    }
  }, [orderId]);

  useEffect(() => {
    void begin();
    if (orderId)
      api
        .call('getOrder', { path: { orderId } })
        .then(setOrder)
        .catch(() => setOrder(null));
  }, [begin, orderId]);

  const poll = useCallback(async () => {
    if (!conv) return;
    const r = await api.call('listSupportMessages', { path: { conversationId: conv.id }, query: { after: lastSeq.current } });
    if (r.items.length) {
      lastSeq.current = r.lastSeq;
      setMessages((m) => merge(m, r.items));
    }
    setConv(r.conversation);
  }, [conv?.id]);

  useEffect(() => {
    if (conv) void poll().catch(toastError);
  }, [conv?.id]);
  // only while the page is on screen and the conversation is open
  usePolling(() => poll().catch(() => undefined), POLL_MS, !!conv && conv.status === 'open');

  const send = async (body = text) => {
    const t = body.trim();
    if (!t || !conv || sending) return;
    setSending(true);
    const id = clientId();
    try {
      // the same clientMessageId on a retry: the server stores the message once
      const r = await api.call('sendSupportMessage', { path: { conversationId: conv.id }, body: { text: t, clientMessageId: id } });
      setText('');
      const got = [r.message, ...r.replies];
      lastSeq.current = Math.max(lastSeq.current, ...got.map((m) => m.seq));
      setMessages((m) => merge(m, got));
      setConv(r.conversation);
    } catch (e) {
      toastError(e);
    } finally {
      setSending(false);
    }
  };

  const rate = async (rating: number) => {
    if (!conv) return;
    try {
      setConv(await api.call('rateSupportConversation', { path: { conversationId: conv.id }, body: { rating } }));
      void Taro.showToast({ title: '感谢您的评价', icon: 'success' });
    } catch (e) {
      toastError(e);
    }
  };

  if (!conv) return <PageState loading={!error} error={error} onRetry={() => void begin()} />;
  const closed = conv.status === 'closed';
  const lastId = messages.length ? `msg-${messages[messages.length - 1]!.seq}` : undefined;
  return (
    <View className="service" data-testid="service-page">
      <View className="service__mode" data-testid="service-mode">
        {closed ? '本次咨询已结束' : conv.mode === 'human' ? '人工客服为您服务中' : '智能客服 7×24 小时在线'}
      </View>
      {order && (
        <View className="service__order" data-testid="service-order-card" onClick={() => void go('order', { id: order.id })}>
          <Text className="service__order-title">{order.lines[0]?.title ?? '订单'}</Text>
          <View className="service__order-meta">
            <Text>订单号 {order.orderNo}</Text>
            <Price fen={order.payableTotal} />
          </View>
        </View>
      )}
      <ScrollView className="service__list" scrollY scrollIntoView={lastId} data-testid="service-messages">
        {messages.map((m) => (
          <View key={m.id} id={`msg-${m.seq}`} className={`service__msg service__msg--${m.sender}`} data-testid={`service-msg-${m.sender}`}>
            <Text className="service__who">{m.sender === 'shopper' ? '我' : m.sender === 'agent' ? '人工客服' : '智能客服'}</Text>
            <Text className="service__bubble" userSelect>
              {m.body}
            </Text>
          </View>
        ))}
      </ScrollView>
      {!closed && conv.mode === 'bot' && (
        <View className="service__quick">
          {['我的快递到哪了', '怎么退货', '我的优惠券和积分', '转人工'].map((q) => (
            <Text key={q} className="service__chip" onClick={() => void send(q)}>
              {q}
            </Text>
          ))}
        </View>
      )}
      {closed ? (
        <View className="service__end">
          {conv.ticketId && conv.rating == null ? (
            <View data-testid="service-rate">
              <Text>请为本次服务评分</Text>
              <View className="service__stars">
                {[1, 2, 3, 4, 5].map((n) => (
                  <Text key={n} className="service__star" data-testid={`service-rate-${n}`} onClick={() => void rate(n)}>
                    ★
                  </Text>
                ))}
              </View>
            </View>
          ) : conv.rating ? (
            <Text>您的评分：{'★'.repeat(conv.rating)}</Text>
          ) : null}
          <Button className="service__btn service__btn--wide" onClick={() => void begin()} data-testid="service-new">
            发起新的咨询
          </Button>
        </View>
      ) : (
        <View className="service__bar">
          <Input
            className="service__input"
            value={text}
            maxlength={1000}
            placeholder="请输入您的问题"
            confirmType="send"
            onInput={(e) => setText(e.detail.value)}
            onConfirm={() => void send()}
            data-testid="service-input"
          />
          <Button className="service__btn" disabled={sending || !text.trim()} onClick={() => void send()} data-testid="service-send">
            发送
          </Button>
        </View>
      )}
    </View>
  );
}
