import { useEffect, useMemo, useRef, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text, ScrollView } from '@tarojs/components';
import { api } from '@/api';
import { ensureLogin } from '@/api/session';
import { useApi } from '@/hooks/use-api';
import { usePolling } from '@/hooks/use-polling';
import { go } from '@/lib/nav';
import { PageState } from '@/components/page-state';
import { withClock, quickOrderAddressId, sleep } from '@/components/promo-flow';
import { useProductImages, imageKey } from '@/components/promo-images';
import { serverNow } from '@/lib/countdown';
import { AttemptKeys } from '@/lib/promo-keys';
import { keepsKey, errorText, promoOutcome } from '@/lib/error-text';
import {
  defaultSessionKey,
  flashSessions,
  flashView,
  hasRounds,
  payMinutesLeft,
  PHASE_TEXT,
  type FlashMarks,
  type FlashSale,
} from '@/lib/promo-flash';
import { FlashItem } from './flash-item';
import './index.css';

const reserve = (saleId: string, addressId: string, headers: Record<string, string>) =>
  api.call('reserveFlashSale', { path: { saleId }, body: { quantity: 1, addressId, buyerNote: '' }, headers });
type Reservation = Awaited<ReturnType<typeof reserve>>;

/** 限时秒杀: sessions (场次), each sale with its server-synced countdown, and the reserve → pay flow. */
export default function FlashSalePage() {
  const { params } = useRouter();
  const highlightId = params.id;
  const list = useApi(() => withClock(() => api.call('listFlashSales')), [], { refreshOnShow: true });
  const data = list.data;
  const offset = data?.offset ?? 0;

  // Re-render when a countdown crosses a boundary (the phase is computed from the server clock).
  const [, setBeat] = useState(0);
  const now = serverNow(offset);

  const [marks, setMarks] = useState<Record<string, FlashMarks & { at: number }>>({});
  const [busyId, setBusyId] = useState<string | null>(null);
  const busy = useRef(false);
  const keys = useRef(new AttemptKeys('fs'));
  const tokens = useRef(new Map<string, { token: string; until: number }>());
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [tab, setTab] = useState<string | undefined>(undefined);

  const items = data?.items ?? [];
  const sessions = useMemo(() => flashSessions(items, now), [items, Math.floor(now / 60_000)]); // eslint-disable-line react-hooks/exhaustive-deps
  const tabs = hasRounds(items);
  const activeKey = tabs ? (tab && sessions.some((s) => s.key === tab) ? tab : defaultSessionKey(sessions, highlightId)) : undefined;
  const shown = tabs ? (sessions.find((s) => s.key === activeKey)?.items ?? []) : items;
  const images = useProductImages(shown);

  /** A sold-out mark holds until a list loaded after it says otherwise; 已达限购 holds for this visit. */
  const marksOf = (id: string): FlashMarks => {
    const m = marks[id];
    if (!m) return {};
    return { limitReached: m.limitReached, soldOut: m.soldOut && (!data || m.at > data.startedAt) };
  };
  const views = shown.map((s) => ({ sale: s, view: flashView(s, now, marksOf(s.id)) }));
  const anyLive = items.some((s) => flashView(s, now).phase === 'live');

  // Every ~15 s while something is live and the page is on screen: fresh remaining units.
  usePolling(list.reload, 15_000, anyLive);

  // Opened for one sale (?id=): bring it into view once.
  const scrolled = useRef(false);
  useEffect(() => {
    if (scrolled.current || !highlightId || !shown.some((s) => s.id === highlightId)) return;
    scrolled.current = true;
    setTimeout(() => void Taro.pageScrollTo({ selector: `#flash-${highlightId}`, duration: 300 }).catch(() => undefined), 300);
  }, [highlightId, shown]);

  const onBoundary = () => {
    setBeat((n) => n + 1);
    void list.reload();
  };

  const mark = (id: string, m: FlashMarks) => setMarks((all) => ({ ...all, [id]: { ...all[id], ...m, at: Date.now() } }));

  async function saleToken(saleId: string): Promise<string> {
    const hit = tokens.current.get(saleId);
    if (hit && hit.until > serverNow(offset) + 5_000) return hit.token;
    const t = await api.call('issueFlashSaleToken', { path: { saleId } });
    tokens.current.set(saleId, { token: t.token, until: Date.parse(t.expiresAt) });
    return t.token;
  }

  /** The answer may name an order still being written (status "creating"): ask until it is there. */
  async function untilOrdered(r: Reservation): Promise<Reservation> {
    for (let i = 0; r.order.status === 'creating' && i < 10; i++) {
      await sleep(i === 0 ? 300 : 800);
      r = await api.call('getFlashSaleReservation', { path: { saleId: r.saleId, reservationId: r.reservationId } });
    }
    return r;
  }

  async function buy(sale: FlashSale) {
    if (busy.current) return;
    busy.current = true;
    setBusyId(sale.id);
    try {
      if (!(await ensureLogin())) return;
      const addressId = await quickOrderAddressId();
      if (!addressId) return;
      const headers: Record<string, string> = { 'Idempotency-Key': keys.current.keyFor(sale.id) };
      if (sale.requireToken) headers['X-Flash-Token'] = await saleToken(sale.id);
      const r = await untilOrdered(await reserve(sale.id, addressId, headers));
      if (r.order.status === 'creating') {
        // Reserved, the order is still on its way: the same key will find it on the next tap.
        setResult({ ok: true, text: '抢购成功，订单生成中，请稍后再点一次' });
        return;
      }
      keys.current.settle(sale.id);
      const mins = payMinutesLeft(r.order.expiresAt ?? r.expiresAt, serverNow(offset));
      setResult({ ok: true, text: `抢购成功，请在 ${mins} 分钟内支付` });
      await go('pay', { orderId: r.order.orderId });
    } catch (e) {
      const outcome = promoOutcome(e);
      if (!keepsKey(e)) keys.current.settle(sale.id);
      if (outcome === 'token') tokens.current.delete(sale.id);
      if (outcome === 'sold_out') mark(sale.id, { soldOut: true });
      if (outcome === 'limit') mark(sale.id, { limitReached: true });
      if (outcome === 'ended' || outcome === 'not_started' || outcome === 'not_found' || outcome === 'sold_out') void list.reload();
      const text = errorText(e);
      setResult({ ok: false, text });
      void Taro.showToast({ title: text, icon: 'none', duration: 2500 });
    } finally {
      busy.current = false;
      setBusyId(null);
    }
  }

  return (
    <View className="flash">
      <View className="flash__head">
        <Text className="flash__head-title">限时秒杀</Text>
        <Text className="flash__head-sub">好价限量 · 先到先得</Text>
      </View>
      {tabs && sessions.length > 0 && (
        <ScrollView className="flash__tabs" scrollX>
          {sessions.map((s) => (
            <View
              key={s.key}
              className={`flash__tab${s.key === activeKey ? ' flash__tab--on' : ''}`}
              data-testid="flash-session-tab"
              onClick={() => setTab(s.key)}
            >
              <Text className="flash__tab-label">{s.label}</Text>
              <Text className="flash__tab-phase">{PHASE_TEXT[s.phase]}</Text>
            </View>
          ))}
        </ScrollView>
      )}
      {result && (
        <View className={`flash__result${result.ok ? ' flash__result--ok' : ''}`} data-testid="flash-result">
          {result.text}
        </View>
      )}
      {data ? (
        views.length === 0 ? (
          <PageState empty emptyText="暂无秒杀活动，晚点再来看看" />
        ) : (
          <View className="flash__list">
            {views.map(({ sale, view }) => (
              <FlashItem
                key={sale.id}
                sale={sale}
                view={view}
                offset={offset}
                image={images[imageKey(sale)]}
                highlight={sale.id === highlightId}
                busy={busyId === sale.id}
                locked={busyId !== null && busyId !== sale.id}
                onBuy={buy}
                onBoundary={onBoundary}
                onOpen={(s) => void go('product', { id: s.productId })}
              />
            ))}
          </View>
        )
      ) : (
        <PageState loading={list.loading} error={list.error} onRetry={() => void list.reload()} />
      )}
    </View>
  );
}
