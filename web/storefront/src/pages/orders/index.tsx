import { useEffect, useRef, useState } from 'react';
import Taro, { useDidShow, useReachBottom, usePullDownRefresh, stopPullDownRefresh, useRouter } from '@tarojs/taro';
import { View, Text, Image, Button } from '@tarojs/components';
import type { OperationResult } from '@edgemall/client/operation-client';
import { api, toastError } from '@/api';
import { ensureLogin } from '@/api/session';
import { go } from '@/lib/nav';
import { merchantLabel } from '@/lib/cart';
import { formatFen, formatTime } from '@/lib/format';
import { MergedPager } from '@/lib/order-list';
import {
  ORDER_ACTION_LABEL,
  ORDER_TABS,
  orderCardActions,
  orderStatusLabel,
  ordersTabOf,
  type OrderAction,
  type OrdersTabKey,
} from '@/lib/order-status';
import { PageState } from '@/components/page-state';
import { Price } from '@/components/price';
import { AfterSalesList } from '../after-sales/after-sales-list';
import { ShipSheet } from '../after-sales/ship-sheet';
import { useAfterSales } from '../after-sales/use-after-sales';
import type { AfterSale } from '../after-sales/after-sale-card';
import './index.css';

type Order = OperationResult<'listOrders'>['items'][number];

/** 我的订单: tabs by status (全部/待付款/待发货/待收货/已完成/售后), cards with their buttons, paged on scroll. */
export default function OrdersPage() {
  const { params } = useRouter();
  const [tab, setTab] = useState<OrdersTabKey>(() => ordersTabOf(params.status ?? params.tab));
  const [ready, setReady] = useState(false);
  useEffect(() => {
    void ensureLogin().then(setReady, toastError);
  }, []);

  const [orders, setOrders] = useState<Order[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const pager = useRef<MergedPager<Order> | null>(null);
  const gen = useRef(0);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [shipping, setShipping] = useState<AfterSale | null>(null);

  const afterSales = useAfterSales(ready && tab === 'aftersale');

  const tabRef = useRef(tab);
  tabRef.current = tab;
  const loadingRef = useRef(false);

  async function more(reset: boolean) {
    const tab = tabRef.current;
    if (tab === 'aftersale') return;
    if (reset) {
      const statuses = ORDER_TABS.find((t) => t.key === tab)!.statuses;
      pager.current = new MergedPager<Order>(statuses, (status, cursor) =>
        api.call('listOrders', { query: { limit: 10, cursor, status: status as Order['status'] | undefined } }),
      );
      gen.current++;
    }
    const p = pager.current;
    if (!p || p.done || (loadingRef.current && !reset)) return;
    const g = gen.current;
    loadingRef.current = true;
    setLoading(true);
    try {
      const got = await p.next();
      if (g !== gen.current) return;
      setOrders((cur) => (reset ? got : [...cur, ...got]));
      setDone(p.done);
      setError(undefined);
      setLoaded(true);
    } catch (e) {
      if (g === gen.current) setError(e);
    } finally {
      if (g === gen.current) {
        loadingRef.current = false;
        setLoading(false);
      }
    }
  }

  useEffect(() => {
    if (!ready) return;
    setOrders([]);
    setLoaded(false);
    setDone(false);
    void more(true);
  }, [ready, tab]); // eslint-disable-line react-hooks/exhaustive-deps

  const shown = useRef(false);
  useDidShow(() => {
    // Back from an order or the cashier: statuses may have moved on.
    if (shown.current && ready) {
      if (tabRef.current === 'aftersale') void afterSales.reload();
      else void more(true);
    }
    shown.current = true;
  });
  useReachBottom(() => void (tabRef.current === 'aftersale' ? afterSales.loadMore() : more(false)));
  usePullDownRefresh(() => void (tabRef.current === 'aftersale' ? afterSales.reload() : more(true)).finally(() => stopPullDownRefresh()));

  const replaceOrder = (o: { id: string; status: Order['status'] }) =>
    setOrders((cur) => {
      const statuses = ORDER_TABS.find((t) => t.key === tab)!.statuses;
      // A card that left this tab's statuses leaves the list.
      if (statuses.length && !statuses.includes(o.status)) return cur.filter((x) => x.id !== o.id);
      return cur.map((x) => (x.id === o.id ? { ...x, status: o.status } : x));
    });

  async function act(o: Order, a: OrderAction) {
    if (a === 'pay') return void go('pay', { orderId: o.id });
    if (a === 'refund') return void go('afterSale', { orderId: o.id });
    if (a === 'afterSale' || a === 'logistics') return void go('order', { id: o.id });
    if (a === 'team') return void (o.promo?.teamId ? go('team', { id: o.promo.teamId }) : go('order', { id: o.id }));
    const ask =
      a === 'cancel'
        ? {
            title: '取消订单',
            content: '确定要取消这个订单吗？',
            run: () => api.call('cancelOrder', { path: { orderId: o.id }, body: { reason: '买家取消' } }),
            ok: '已取消',
          }
        : {
            title: '确认收货',
            content: '请确认已收到商品，确认后订单完成',
            run: () => api.call('confirmReceipt', { path: { orderId: o.id } }),
            ok: '已确认收货',
          };
    const r = await Taro.showModal({ title: ask.title, content: ask.content, confirmColor: '#e4393c' });
    if (!r.confirm) return;
    setBusyId(o.id);
    try {
      replaceOrder(await ask.run());
      void Taro.showToast({ title: ask.ok, icon: 'success' });
    } catch (e) {
      toastError(e);
      void more(true);
    } finally {
      setBusyId(null);
    }
  }

  return (
    <View className="orders">
      <View className="orders__tabs">
        {ORDER_TABS.map((t) => (
          <View
            key={t.key}
            className={`orders__tab${t.key === tab ? ' orders__tab--on' : ''}`}
            data-testid="orders-tab"
            data-key={t.key}
            data-active={t.key === tab ? '1' : '0'}
            onClick={() => t.key !== tab && setTab(t.key)}
          >
            <Text className="orders__tab-text">{t.label}</Text>
          </View>
        ))}
      </View>
      {tab === 'aftersale' ? (
        <AfterSalesList list={afterSales} busyId={busyId} setBusyId={setBusyId} onShip={setShipping} />
      ) : !loaded ? (
        <PageState loading={loading || !ready} error={error} onRetry={() => void more(true)} />
      ) : orders.length === 0 ? (
        <View className="orders__empty" data-testid="orders-empty">
          <Text className="orders__empty-text">暂无相关订单</Text>
          <Button className="orders__empty-btn" onClick={() => void go('home')}>
            去逛逛
          </Button>
        </View>
      ) : (
        <View className="orders__list">
          {orders.map((o) => {
            const actions = orderCardActions(o.status, o);
            const unpaid = o.status === 'pending_payment';
            return (
              <View
                key={o.id}
                className="order-card"
                data-testid="order-card"
                data-order-id={o.id}
                data-status={o.status}
                onClick={() => void go('order', { id: o.id })}
              >
                <View className="order-card__head">
                  <Text className="order-card__shop">{merchantLabel(o.merchantId)}</Text>
                  <Text className={`order-card__status order-card__status--${o.status}`} data-testid="order-card-status">
                    {orderStatusLabel(o.status, o)}
                  </Text>
                </View>
                <View className="order-card__line">
                  {o.firstLine?.imageUrl ? (
                    <Image className="order-card__img" src={o.firstLine.imageUrl} mode="aspectFill" lazyLoad />
                  ) : (
                    <View className="order-card__img" />
                  )}
                  <View className="order-card__body">
                    <Text className="order-card__title">{o.firstLine?.title ?? '订单商品'}</Text>
                    <Text className="order-card__time">{formatTime(o.createdAt, { year: true })}</Text>
                  </View>
                  <Text className="order-card__count">共{o.itemCount}件</Text>
                </View>
                <View className="order-card__sum">
                  <Text className="order-card__sum-label">{unpaid ? '需付款' : o.status === 'cancelled' ? '应付' : '实付'}</Text>
                  <Price fen={unpaid || o.status === 'cancelled' ? o.payableTotal : o.paidTotal} size="sm" testId="order-card-total" />
                  {o.refundedTotal > 0 && <Text className="order-card__refund">已退款 {formatFen(o.refundedTotal)}</Text>}
                </View>
                {actions.length > 0 && (
                  <View className="order-card__ops">
                    {actions.map((a) => (
                      <Button
                        key={a}
                        className={`order-card__btn${a === 'pay' || a === 'confirm' || a === 'team' ? ' order-card__btn--primary' : ''}`}
                        data-testid={`order-card-${a === 'afterSale' ? 'after-sale' : a}`}
                        disabled={busyId === o.id || undefined}
                        onClick={(e) => {
                          e.stopPropagation();
                          void act(o, a);
                        }}
                      >
                        {ORDER_ACTION_LABEL[a]}
                      </Button>
                    ))}
                  </View>
                )}
              </View>
            );
          })}
          <Text className="orders__more">{loading ? '加载中…' : done ? '没有更多了' : ''}</Text>
        </View>
      )}
      {shipping && (
        <ShipSheet
          afterSale={shipping}
          onClose={() => setShipping(null)}
          onSubmitted={(updated) => {
            afterSales.replaceItem(updated);
            setShipping(null);
          }}
        />
      )}
    </View>
  );
}
